using System.Text;

namespace Swatop.Cli.Operators;

/// <summary>
/// Comma-separated fields as RFC 4180 writes them: a field holding a comma, a quote or a line break is
/// enclosed in quotes, its quotes doubled. Reading accepts quoted and plain fields and trims plain ones.
/// </summary>
internal static class CsvLine
{
    /// <summary>The fields of one line.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or text follows its closing quote.</exception>
    public static IReadOnlyList<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                var field = new StringBuilder();
                var start = i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new FormatException($"the quoted field that starts at character {start + 1} is not closed.");
                    }

                    if (line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (line[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(line[i++]);
                    }
                }

                while (i < line.Length && line[i] == ' ')
                {
                    i++;
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new FormatException($"text follows the closing quote of the field that starts at character {start + 1}.");
                }

                fields.Add(field.ToString());
            }
            else
            {
                var end = line.IndexOf(',', i);
                fields.Add(line[i..(end < 0 ? line.Length : end)].Trim());
                i = end < 0 ? line.Length : end;
            }

            if (i >= line.Length)
            {
                return fields;
            }

            i++;
        }
    }

    /// <summary>The fields joined into one line, quoted where they need it.</summary>
    public static string Join(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote));

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : '"' + field.Replace("\"", "\"\"", StringComparison.Ordinal) + '"';
}
