using System.Globalization;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>A shape file as read: its columns in file order and its rows, each with its shape and all its fields.</summary>
public sealed class ShapeTable
{
    /// <summary>Holds the read columns and rows; <see cref="ShapeCsvReader"/> builds it.</summary>
    public ShapeTable(string source, int headerLine, IReadOnlyList<string> columns, IReadOnlyList<ShapeRow> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        (Source, HeaderLine, Columns, Rows) = (source, headerLine, columns, rows);
    }

    /// <summary>Where the table came from (a path, or the name given to the reader), for messages.</summary>
    public string Source { get; }

    /// <summary>The 1-based line of the header.</summary>
    public int HeaderLine { get; }

    /// <summary>The column names, in the file's order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The data rows, in the file's order.</summary>
    public IReadOnlyList<ShapeRow> Rows { get; }

    /// <summary>True when the file has a column named <paramref name="column"/>.</summary>
    public bool HasColumn(string column) => IndexOf(column) >= 0;

    /// <summary>The field of <paramref name="row"/> in <paramref name="column"/>.</summary>
    /// <exception cref="ShapeCsvException">The file has no such column.</exception>
    public string Field(ShapeRow row, string column)
    {
        ArgumentNullException.ThrowIfNull(row);
        var index = IndexOf(column);
        if (index < 0)
        {
            throw new ShapeCsvException(Source, HeaderLine, column, "the header has no such column.");
        }

        return row.Fields[index];
    }

    /// <summary>The field of <paramref name="row"/> in <paramref name="column"/> as a positive finite number.</summary>
    /// <exception cref="ShapeCsvException">The column is missing, or the field is not a positive finite number; the message names the line and the column.</exception>
    public double PositiveNumber(ShapeRow row, string column)
    {
        var text = Field(row, column);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new ShapeCsvException(Source, row.LineNumber, column, $"'{text}' is not a number.");
        }

        if (value <= 0)
        {
            throw new ShapeCsvException(Source, row.LineNumber, column, string.Create(CultureInfo.InvariantCulture, $"{value} must be positive."));
        }

        return value;
    }

    private int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
