using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Cli.Operators;

/// <summary>
/// A shapes file: a <see cref="CsvTable"/> whose header names at least <see cref="OperatorFields.Columns"/>,
/// then one operator per record (see <see cref="OperatorFields"/>). Lines whose first non-blank character
/// is <c>#</c>, and blank lines, are skipped; fields may be quoted as in RFC 4180.
/// </summary>
/// <param name="Source">The file's name, for messages.</param>
/// <param name="Columns">The header's columns, in order.</param>
/// <param name="Rows">The operators, in order.</param>
internal sealed record ShapesFile(string Source, IReadOnlyList<string> Columns, IReadOnlyList<ShapesFile.Row> Rows)
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="ShapeCsvException">The header, a record's field count or its quoting is wrong; the message names the file and the line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ShapesFile Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a shapes file from <paramref name="reader"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ShapeCsvException">The header, a record's field count or its quoting is wrong; the message names the source and the line.</exception>
    public static ShapesFile Read(TextReader reader, string source)
    {
        var table = CsvTable.Read(reader, source, OperatorFields.Columns);
        return new ShapesFile(source, table.Columns, [.. table.Records.Select(record => new Row(record.LineNumber, record.Fields, Fields(table.Columns, record.Fields)))]);
    }

    /// <summary>
    /// The file with every operator's <paramref name="column"/> field set to <paramref name="value"/>, or the
    /// file itself when <paramref name="value"/> is null. The rows' fields, which the commands write back beside
    /// their results, say it too, so that a row names the operator that was tuned.
    /// </summary>
    public ShapesFile WithOperatorField(string column, string? value)
    {
        if (value is null)
        {
            return this;
        }

        Row Set(Row row)
        {
            string[] fields = [.. row.Fields.Select((field, i) => Columns[i] == column ? value : field)];
            return row with { Fields = fields, Operator = Fields(Columns, fields) };
        }

        return this with { Rows = [.. Rows.Select(Set)] };
    }

    private static OperatorFields Fields(IReadOnlyList<string> columns, IReadOnlyList<string> fields) =>
        new(columns.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));

    /// <summary>One operator of the file.</summary>
    /// <param name="LineNumber">Its line, counting from 1.</param>
    /// <param name="Fields">Its fields as written.</param>
    /// <param name="Operator">The operator they describe.</param>
    internal sealed record Row(int LineNumber, IReadOnlyList<string> Fields, OperatorFields Operator);
}
