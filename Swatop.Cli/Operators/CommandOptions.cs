namespace Swatop.Cli.Operators;

/// <summary>
/// <c>--name value</c> options, and the operator they describe: <c>--in-channels 64</c> is the field
/// <c>in_channels</c>, and <c>--kernel</c>, <c>--stride</c>, <c>--pad</c>, <c>--dilation</c> stand for both the
/// <c>_h</c> and the <c>_w</c> field.
/// </summary>
internal static class CommandOptions
{
    private static readonly string[] PerDimension = ["kernel", "stride", "pad", "dilation"];

    /// <summary>The options of <paramref name="arguments"/>, by name without the dashes; each must be a field of <see cref="OperatorFields"/>, a per-dimension shorthand or one of <paramref name="others"/>.</summary>
    /// <exception cref="UsageException">An argument is not an option, an option is unknown, repeated or has no value.</exception>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> arguments, params IReadOnlyList<string> others) => Parse(arguments, [], others);

    /// <summary>
    /// <see cref="Parse(IReadOnlyList{string}, IReadOnlyList{string})"/> with <paramref name="flags"/>: options
    /// written alone, without a value, which map to the empty string.
    /// </summary>
    /// <exception cref="UsageException">An argument is not an option, an option is unknown, repeated or has no value.</exception>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> arguments, IReadOnlyList<string> flags, IReadOnlyList<string> others)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            if (!arguments[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"'{arguments[i]}' is not an option; options are written --name value.");
            }

            var name = arguments[i][2..].Replace('-', '_');
            var flag = flags.Contains(name);
            if (!flag && !OperatorFields.Columns.Contains(name) && !OperatorFields.OptionalColumns.Contains(name) && !PerDimension.Contains(name) && !others.Contains(name))
            {
                throw new UsageException($"'{arguments[i]}' is not an option of this command.");
            }

            if (!flag && (i + 1 >= arguments.Count || arguments[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                throw new UsageException($"'{arguments[i]}' needs a value.");
            }

            if (!options.TryAdd(name, flag ? string.Empty : arguments[++i]))
            {
                throw new UsageException($"'{arguments[i - (flag ? 0 : 1)]}' is given twice.");
            }
        }

        return options;
    }

    /// <summary>The <c>--seed</c> of parsed options, 1 when none is given.</summary>
    /// <exception cref="UsageException">The seed is not an integer.</exception>
    public static int Seed(IReadOnlyDictionary<string, string> options) =>
        !options.TryGetValue("seed", out var text) ? 1
        : int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seed) ? seed
        : throw new UsageException($"--seed '{text}' is not an integer.");

    /// <summary>
    /// The operator fields of parsed options. A per-dimension shorthand (<c>--kernel 3</c>) stays one field,
    /// which <see cref="Core.OperatorDescription"/> reads for both dimensions.
    /// </summary>
    /// <exception cref="UsageException">A shorthand and one of its fields are both given.</exception>
    public static OperatorFields Fields(IReadOnlyDictionary<string, string> options)
    {
        foreach (var name in PerDimension.Where(options.ContainsKey))
        {
            if (new[] { name + "_h", name + "_w" }.FirstOrDefault(options.ContainsKey) is { } field)
            {
                throw new UsageException($"--{name} and --{field.Replace('_', '-')} are both given.");
            }
        }

        return new OperatorFields(options);
    }
}
