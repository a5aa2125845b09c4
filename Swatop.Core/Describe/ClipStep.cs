using System.Globalization;

namespace Swatop.Core;

/// <summary>
/// A clip activation, <c>output = min(max(output, Min), Max)</c>: ReLU is [0, +inf), ReLU6 [0, 6]. Either bound
/// may be infinite, neither NaN, and <see cref="Min"/> is at most <see cref="Max"/>. Prints as <c>relu</c>,
/// <c>relu6</c> or <c>clip(min,max)</c>.
/// </summary>
public sealed record ClipStep : EpilogueStep
{
    internal ClipStep(double min, double max)
    {
        if (double.IsNaN(min) || double.IsNaN(max) || min > max)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.InvalidClipBounds,
                double.IsNaN(max) && !double.IsNaN(min) ? nameof(max) : nameof(min),
                string.Create(CultureInfo.InvariantCulture, $"clip(min = {min:R}, max = {max:R}) is not a valid clip: neither bound may be NaN, and min must not be greater than max."));
        }

        // -0.0 and 0.0 clip alike; one of them keeps signatures apart for nothing.
        Min = min == 0 ? 0 : min;
        Max = max == 0 ? 0 : max;
    }

    /// <summary>The lower bound, or negative infinity for none.</summary>
    public double Min { get; }

    /// <summary>The upper bound, or positive infinity for none.</summary>
    public double Max { get; }

    /// <summary>Whether the lower bound clips anything.</summary>
    public bool HasMin => !double.IsNegativeInfinity(Min);

    /// <summary>Whether the upper bound clips anything.</summary>
    public bool HasMax => !double.IsPositiveInfinity(Max);

    /// <inheritdoc/>
    public override string? TensorName => null;

    /// <inheritdoc/>
    public override string ToString() => (Min, Max) switch
    {
        (0, double.PositiveInfinity) => "relu",
        (0, 6) => "relu6",
        _ => string.Create(CultureInfo.InvariantCulture, $"clip({Bound(Min)},{Bound(Max)})"),
    };

    private static string Bound(double value) => double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString("R", CultureInfo.InvariantCulture);
}
