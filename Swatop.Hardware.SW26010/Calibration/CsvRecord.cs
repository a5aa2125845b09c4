namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>One record of a <see cref="CsvTable"/>.</summary>
/// <param name="LineNumber">The 1-based line of the input where the record starts, for messages.</param>
/// <param name="Fields">Its fields, one per column of the table, trimmed outside quotes and unquoted.</param>
public sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields);
