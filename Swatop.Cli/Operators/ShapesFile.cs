using System.Globalization;

namespace Swatop.Cli.Operators;

/// <summary>
/// A shapes file: a header naming at least <see cref="OperatorFields.Columns"/>, then one operator per
/// line (see <see cref="OperatorFields"/>). Lines whose first non-blank character is <c>#</c>, and blank
/// lines, are skipped; fields may be quoted as in RFC 4180.
/// </summary>
/// <param name="Source">The file's name, for messages.</param>
/// <param name="Columns">The header's columns, in order.</param>
/// <param name="Rows">The operators, in order.</param>
internal sealed record ShapesFile(string Source, IReadOnlyList<string> Columns, IReadOnlyList<ShapesFile.Row> Rows)
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The header or a line's field count is wrong; the message names the file and the line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ShapesFile Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a shapes file from <paramref name="reader"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="FormatException">The header or a line's field count is wrong; the message names the source and the line.</exception>
    public static ShapesFile Read(TextReader reader, string source)
    {
        IReadOnlyList<string>? columns = null;
        var rows = new List<Row>();
        var number = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Trim() is "" || line.TrimStart()[0] == '#')
            {
                continue;
            }

            IReadOnlyList<string> fields;
            try
            {
                fields = CsvLine.Split(line);
            }
            catch (FormatException e)
            {
                throw Error(source, number, e.Message);
            }

            if (columns is null)
            {
                columns = fields;
                var missing = OperatorFields.Columns.Where(c => !fields.Contains(c)).ToList();
                if (missing.Count > 0)
                {
                    throw Error(source, number, $"the header lacks {string.Join(", ", missing)}; a shapes file names {string.Join(", ", OperatorFields.Columns)} (any order, unused fields empty).");
                }

                if (fields.FirstOrDefault(c => fields.Count(d => d == c) > 1) is { } twice)
                {
                    throw Error(source, number, $"the header names '{twice}' twice.");
                }

                continue;
            }

            if (fields.Count != columns.Count)
            {
                throw Error(source, number, string.Create(CultureInfo.InvariantCulture, $"{fields.Count} fields, but the header names {columns.Count} columns."));
            }

            var values = columns.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            rows.Add(new Row(number, fields, new OperatorFields(values)));
        }

        return columns is null ? throw Error(source, number + 1, "the file has no header line.") : new ShapesFile(source, columns, rows);
    }

    /// <summary>
    /// The file with every operator's <paramref name="column"/> field set to <paramref name="value"/>, or the
    /// file itself when <paramref name="value"/> is null; the fields written back are the file's own.
    /// </summary>
    public ShapesFile WithOperatorField(string column, string? value) => value is null ? this : this with
    {
        Rows = [.. Rows.Select(row => row with
        {
            Operator = new OperatorFields(Columns.Zip(row.Fields).ToDictionary(p => p.First, p => p.First == column ? value : p.Second, StringComparer.Ordinal)),
        })],
    };

    private static FormatException Error(string source, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}, line {line}: {message}"));

    /// <summary>One operator of the file.</summary>
    /// <param name="LineNumber">Its line, counting from 1.</param>
    /// <param name="Fields">Its fields as written.</param>
    /// <param name="Operator">The operator they describe.</param>
    internal sealed record Row(int LineNumber, IReadOnlyList<string> Fields, OperatorFields Operator);
}
