using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Swatop.Cli.CommandLine;

/// <summary>
/// Options whose values follow a rule, parsed so that a bad value is a parse error (exit code 2) naming
/// the option, the value and the rule: <c>--measured '0' must be a whole number of candidates, at least 1.</c>
/// </summary>
internal static class OptionValues
{
    /// <summary>An integer option (a sign allowed), <paramref name="fallback"/> when absent.</summary>
    public static Option<int> Integer(string name, int fallback, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => int.TryParse(Text(result), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : Fail<int>(result, $"{name} '{Text(result)}' is not an integer."),
    };

    /// <summary>A whole-number option (digits only) at least <paramref name="least"/>, <paramref name="fallback"/> when absent; <paramref name="unit"/> names what it counts in the rule (<c>candidates</c>), or nothing when null.</summary>
    public static Option<int> WholeNumber(string name, int fallback, int least, string? unit, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => int.TryParse(Text(result), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= least ? value
            : Fail<int>(result, string.Create(CultureInfo.InvariantCulture, $"{name} '{Text(result)}' must be a whole number{(unit is null ? string.Empty : " of " + unit)}, at least {least}.")),
    };

    /// <summary>A positive, finite number of seconds, <paramref name="fallback"/> when absent.</summary>
    public static Option<double> Seconds(string name, double fallback, string description) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => double.TryParse(Text(result), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 ? value
            : Fail<double>(result, $"{name} '{Text(result)}' must be a positive number of seconds."),
    };

    /// <summary>A text option that may not be blank; <paramref name="rule"/> completes <c>--name needs ...</c>.</summary>
    public static Option<string> NotBlank(string name, string helpName, string rule, string description)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName };
        option.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError($"{name} needs {rule}.");
            }
        });
        return option;
    }

    /// <summary>Whether <paramref name="option"/> was written on the command line (not merely defaulted).</summary>
    public static bool Given(this SymbolResult result, Option option)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetResult(option) is OptionResult { Implicit: false };
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;

    private static T Fail<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }
}
