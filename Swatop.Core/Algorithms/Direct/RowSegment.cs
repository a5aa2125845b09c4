namespace Swatop.Core.Algorithms.Direct;

/// <summary>
/// One multiply-accumulate call of a direct convolution's output row: <paramref name="Count"/> output
/// columns from <paramref name="First"/> take the kernel row's taps <paramref name="Tap"/> to
/// <c>Tap + Taps - 1</c>, whose input columns all lie inside the input row.
/// </summary>
/// <param name="First">The first output column.</param>
/// <param name="Count">Output columns.</param>
/// <param name="Tap">The first tap of the kernel row.</param>
/// <param name="Taps">Taps: the kernel's width over the columns whose whole window lies inside the row, 1 at the borders.</param>
public readonly record struct RowSegment(int First, int Count, int Tap, int Taps);
