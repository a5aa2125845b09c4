using System.Globalization;
using Swatop.Hardware.Sw26010.Kernels;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>
/// Reads shape files: comma-separated text with a header line naming the columns, then one
/// convolution per line. The columns <see cref="ShapeColumns"/> must be present, in any order, and
/// hold positive integers; other columns are kept, in order, as text. Lines whose first non-blank
/// character is <c>#</c>, and blank lines, are ignored. Fields are trimmed; there is no quoting.
/// </summary>
public static class ShapeCsvReader
{
    /// <summary>The columns every shape file must have: the <see cref="SwDnnShape"/> constructor's parameters.</summary>
    public static IReadOnlyList<string> ShapeColumns { get; } = ["batch", "in_channels", "out_channels", "in_height", "in_width", "kernel"];

    /// <summary>
    /// The shape column of a <see cref="SwDnnShape"/> constructor parameter (<c>inChannels</c> is
    /// <c>in_channels</c>), or null when <paramref name="parameter"/> is none of them: the column to
    /// blame for an error that names the parameter.
    /// </summary>
    public static string? ColumnOf(string? parameter) =>
        parameter is null ? null
        : ShapeColumns.FirstOrDefault(c => string.Equals(c.Replace("_", string.Empty, StringComparison.Ordinal), parameter, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the shape file at <paramref name="path"/>.</summary>
    /// <exception cref="ShapeCsvException">The file is malformed; the message names the line and the column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ShapeTable ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads a shape file from <paramref name="reader"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ShapeCsvException">The text is malformed; the message names the line and the column.</exception>
    public static ShapeTable Read(TextReader reader, string source = "<input>")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        string[]? columns = null;
        int[] shapeIndex = [];
        var headerLine = 0;
        var rows = new List<ShapeRow>();
        var lineNumber = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            var content = line.Trim();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            var fields = content.Split(',').Select(f => f.Trim()).ToArray();
            if (columns is null)
            {
                columns = fields;
                headerLine = lineNumber;
                shapeIndex = ReadHeader(columns, source, lineNumber);
                continue;
            }

            if (fields.Length != columns.Length)
            {
                var column = fields.Length < columns.Length ? columns[fields.Length] : null;
                var detail = fields.Length < columns.Length
                    ? $"the first missing is '{column}'"
                    : $"field {columns.Length + 1} ('{fields[columns.Length]}') has no column";
                throw new ShapeCsvException(source, lineNumber, column, string.Create(CultureInfo.InvariantCulture,
                    $"{fields.Length} fields, but the header (line {headerLine}) names {columns.Length} columns; {detail}."));
            }

            var sizes = new int[ShapeColumns.Count];
            for (var i = 0; i < sizes.Length; i++)
            {
                sizes[i] = PositiveInteger(fields[shapeIndex[i]], source, lineNumber, ShapeColumns[i]);
            }

            rows.Add(new ShapeRow(lineNumber, MakeShape(sizes, source, lineNumber), fields));
        }

        if (columns is null)
        {
            throw new ShapeCsvException(source, lineNumber + 1, null, $"the file has no header line; a shape file starts with one naming at least {string.Join(", ", ShapeColumns)}.");
        }

        return new ShapeTable(source, headerLine, columns, rows);
    }

    /// <summary>Checks the header and returns where each shape column is.</summary>
    private static int[] ReadHeader(string[] columns, string source, int lineNumber)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length == 0)
            {
                throw new ShapeCsvException(source, lineNumber, null, string.Create(CultureInfo.InvariantCulture, $"column {i + 1} of the header has no name."));
            }

            if (Array.IndexOf(columns, columns[i], 0, i) >= 0)
            {
                throw new ShapeCsvException(source, lineNumber, columns[i], "the header names this column twice.");
            }
        }

        var index = new int[ShapeColumns.Count];
        for (var i = 0; i < index.Length; i++)
        {
            index[i] = Array.IndexOf(columns, ShapeColumns[i]);
            if (index[i] < 0)
            {
                throw new ShapeCsvException(source, lineNumber, ShapeColumns[i], $"the header has no such column; a shape file needs {string.Join(", ", ShapeColumns)} (any order).");
            }
        }

        return index;
    }

    private static int PositiveInteger(string text, string source, int lineNumber, string column)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new ShapeCsvException(source, lineNumber, column, $"'{text}' is not an integer.");
        }

        if (value <= 0)
        {
            throw new ShapeCsvException(source, lineNumber, column, string.Create(CultureInfo.InvariantCulture, $"{value} must be positive."));
        }

        return value;
    }

    private static SwDnnShape MakeShape(int[] sizes, string source, int lineNumber)
    {
        try
        {
            return new SwDnnShape(sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5]);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The constructor names its parameter (kernel larger than the image); name its column.
            throw new ShapeCsvException(source, lineNumber, ColumnOf(e.ParamName), e.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
