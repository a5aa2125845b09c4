using System.Globalization;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>
/// Writes shape rows back as comma-separated text: the input file's columns, in its order, followed
/// by extra columns (results). Rows are written as they come, so a long run shows its progress. A
/// field that holds a comma, a quote or a line break is quoted (<see cref="CsvTable.FormatRecord"/>),
/// so a written file reads back with the same fields.
/// </summary>
public sealed class ShapeCsvWriter
{
    private readonly TextWriter _writer;

    /// <summary>A writer to <paramref name="writer"/> for rows with <paramref name="inputColumns"/> plus <paramref name="extraColumns"/>.</summary>
    /// <exception cref="ArgumentException">A column name is empty or appears twice.</exception>
    public ShapeCsvWriter(TextWriter writer, IReadOnlyList<string> inputColumns, IReadOnlyList<string> extraColumns)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(inputColumns);
        ArgumentNullException.ThrowIfNull(extraColumns);
        _writer = writer;
        Columns = [.. inputColumns, .. extraColumns];
        InputColumnCount = inputColumns.Count;
        for (var i = 0; i < Columns.Count; i++)
        {
            var parameter = i < InputColumnCount ? nameof(inputColumns) : nameof(extraColumns);
            ArgumentNullException.ThrowIfNull(Columns[i], parameter);
            if (Columns[i].Length == 0 || Columns.Take(i).Contains(Columns[i], StringComparer.Ordinal))
            {
                throw new ArgumentException($"Column '{Columns[i]}' is empty or appears twice among {string.Join(", ", Columns)}.", parameter);
            }
        }
    }

    /// <summary>All the columns written, input columns first.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>How many of <see cref="Columns"/> come from the input.</summary>
    public int InputColumnCount { get; }

    /// <summary>Writes the header line.</summary>
    public void WriteHeader() => WriteLine(Columns);

    /// <summary>Writes <paramref name="row"/>'s fields followed by <paramref name="extraFields"/>, one for each extra column.</summary>
    /// <exception cref="ArgumentException">The field counts do not match the columns, or a field is null.</exception>
    public void WriteRow(ShapeRow row, params IReadOnlyList<string> extraFields)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(extraFields);
        if (row.Fields.Count != InputColumnCount || extraFields.Count != Columns.Count - InputColumnCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Line {row.LineNumber}: {row.Fields.Count} input fields and {extraFields.Count} extra fields, but the writer has {InputColumnCount} input and {Columns.Count - InputColumnCount} extra columns."), nameof(extraFields));
        }

        WriteLine([.. row.Fields, .. extraFields]);
    }

    /// <summary>A number as a field: invariant culture, round-trip precision.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void WriteLine(IEnumerable<string> fields)
    {
        _writer.Write(CsvTable.FormatRecord(fields));
        _writer.Write('\n');
    }
}
