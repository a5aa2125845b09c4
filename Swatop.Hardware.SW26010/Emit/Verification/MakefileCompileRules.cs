using System.Text.RegularExpressions;

namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// Reads the compile rules of an emitted Makefile: its variable assignments (<c>NAME = value</c>) and
/// every recipe line that compiles one C file (<c>... -c FILE.c ...</c>), with the variables expanded, so
/// that a check compiles each file with the defines and the dialect the Makefile gives it for sw5cc.
/// Only the forms the emitter writes are understood: recursive <c>$(NAME)</c> references, no
/// functions, no pattern rules.
/// </summary>
internal static partial class MakefileCompileRules
{
    private const int ExpansionDepth = 16;

    /// <summary>The compile rules of <paramref name="makefile"/>, in the order of its recipe lines.</summary>
    /// <exception cref="FormatException">A variable refers to itself or to a variable the Makefile does not set.</exception>
    public static IReadOnlyList<MakefileCompile> Parse(string makefile)
    {
        ArgumentNullException.ThrowIfNull(makefile);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var rules = new List<MakefileCompile>();
        foreach (var line in makefile.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith('\t'))
            {
                var command = Expand(line.Trim(), variables, 0);
                var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var compiled = Array.IndexOf(words, "-c");
                if (compiled >= 0 && compiled + 1 < words.Length && words[compiled + 1].EndsWith(".c", StringComparison.Ordinal))
                {
                    var dialect = words.LastOrDefault(w => w.StartsWith("-std=", StringComparison.Ordinal))?["-std=".Length..];
                    rules.Add(new MakefileCompile(words[compiled + 1], command, [.. words.Where(w => w.StartsWith("-D", StringComparison.Ordinal) || w.StartsWith("-U", StringComparison.Ordinal))], dialect));
                }
            }
            else if (Assignment().Match(line) is { Success: true } assignment)
            {
                variables[assignment.Groups[1].Value] = assignment.Groups[2].Value.Trim();
            }
        }

        return rules;
    }

    private static string Expand(string text, IReadOnlyDictionary<string, string> variables, int depth) => Reference().Replace(text, match =>
    {
        var name = match.Groups[1].Value;
        if (depth >= ExpansionDepth)
        {
            throw new FormatException($"The Makefile's variable '{name}' refers to itself, through {ExpansionDepth} expansions.");
        }

        return variables.TryGetValue(name, out var value)
            ? Expand(value, variables, depth + 1)
            : throw new FormatException($"The Makefile uses $({name}), which it does not set.");
    });

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
