using Swatop.Core;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>
/// Reads shape files: a <see cref="CsvTable"/> (a header line naming the columns, comments and blank
/// lines skipped, fields quoted where they need it) with one convolution per record. The columns
/// <see cref="ShapeColumns"/> must be present, in any order; they describe a conv2d (an
/// <see cref="OperatorDescription"/> whose attributes they are, <c>kernel</c> for both directions) and
/// follow its rules. Other columns are kept, in order, as text.
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
        var table = CsvTable.Read(reader, source, ShapeColumns);
        var index = ShapeColumns.Select(table.IndexOf).ToArray();
        var rows = table.Records.Select(record => new ShapeRow(record.LineNumber, ShapeOf(record, index, source), record.Fields)).ToList();
        return new ShapeTable(source, table.HeaderLine, table.Columns, rows);
    }

    /// <summary>
    /// The convolution a record's shape columns describe, through <see cref="OperatorDescription"/>: a
    /// conv2d in double, unpadded and of stride 1, whose rules name the column at fault.
    /// </summary>
    private static SwDnnShape ShapeOf(CsvRecord record, int[] index, string source)
    {
        var description = new OperatorDescription("conv2d", ShapeColumns.Select((column, i) => KeyValuePair.Create(column, record.Fields[index[i]])), ElementType.Float64);
        OperatorSpec spec;
        try
        {
            spec = description.ToOperator();
        }
        catch (OperatorDescriptionException e)
        {
            throw new ShapeCsvException(source, record.LineNumber, e.ParamName, e.Message.Split(" (Parameter", 2)[0]);
        }

        var conv = (Conv2dAttributes)spec.Attributes;
        return new SwDnnShape(conv.Batch, conv.InChannels, conv.OutChannels, conv.Height, conv.Width, conv.Kernel.Height);
    }
}
