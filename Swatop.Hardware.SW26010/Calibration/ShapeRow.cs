using Swatop.Hardware.Sw26010.Kernels;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>One data row of a shape file.</summary>
/// <param name="LineNumber">The row's 1-based line in the file, for messages.</param>
/// <param name="Shape">The convolution the shape columns describe.</param>
/// <param name="Fields">Every field of the row, trimmed outside quotes and unquoted, in the order of the file's columns.</param>
public sealed record ShapeRow(int LineNumber, SwDnnShape Shape, IReadOnlyList<string> Fields);
