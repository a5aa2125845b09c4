using System.Numerics;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// A Winograd kernel's output set against the reference: each element must lie within its own rounding bound
/// (<see cref="WinogradErrorBound.Bound"/>) plus the reference's (<see cref="ReferenceComparison.ToleranceFor"/>
/// times the sum of the magnitudes of its products, the reference being a sum in double too). The comparison's
/// <see cref="ReferenceComparison.WorstError"/> is the worst element's error over that allowance, and its
/// <see cref="ReferenceComparison.Tolerance"/> 1.
/// </summary>
public static class WinogradComparison
{
    /// <summary>Compares <paramref name="actual"/>, computed by F(<paramref name="outputTile"/> x <paramref name="outputTile"/>, 3 x 3), with the reference value of <paramref name="spec"/>.</summary>
    /// <typeparam name="T">The element type of the tensors: float or double.</typeparam>
    /// <param name="spec">The convolution.</param>
    /// <param name="outputTile">The output tile: 2, 4 or 6.</param>
    /// <param name="inputs">The input and the weights.</param>
    /// <param name="actual">The kernel's output, row-major.</param>
    /// <exception cref="ArgumentException">The operator is not one Winograd's algorithm computes, or the inputs do not fit it.</exception>
    public static ReferenceComparison Compare<T>(OperatorSpec spec, int outputTile, IReadOnlyList<T[]> inputs, T[] actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(actual);
        var conv = WinogradAlgorithm.Convolution(spec)
            ?? throw new ArgumentException($"spec = {spec}: Winograd's algorithm does not apply: {WinogradAlgorithm.WhyNot(spec)}", nameof(spec));
        if (inputs.Count != 2)
        {
            throw new ArgumentException($"inputs.Count = {inputs.Count}: the convolution takes {string.Join(", ", spec.Inputs)}.", nameof(inputs));
        }

        double[] input = [.. inputs[0].Select(double.CreateTruncating)], weights = [.. inputs[1].Select(double.CreateTruncating)];
        ReferenceEvaluator.CheckLength(actual.Length, spec.Expression.Output.Tensor, nameof(actual));
        var expected = ReferenceEvaluator.Evaluate(spec.Expression, input, weights);
        var magnitude = ReferenceEvaluator.Evaluate(spec.Expression, input.Select(Math.Abs).ToArray(), weights.Select(Math.Abs).ToArray());
        var bound = WinogradErrorBound.Bound(conv, outputTile, spec.ElementType, input, weights);
        var reference = ReferenceComparison.ToleranceFor(Primitives.ElementType.Float64, (long)conv.InChannelsPerGroup * 9);
        long mismatches = 0, worst = 0;
        var worstError = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var difference = Math.Abs(double.CreateTruncating(actual[i]) - expected[i]);
            var allowed = bound[i] + (reference * magnitude[i]);
            var error = difference == 0 ? 0 : difference / (allowed + double.Epsilon);
            error = double.IsNaN(error) ? double.PositiveInfinity : error;
            mismatches += error > 1 ? 1 : 0;
            if (error > worstError)
            {
                (worst, worstError) = (i, error);
            }
        }

        return new ReferenceComparison(actual.Length, mismatches, worst, actual.Length == 0 ? 0 : double.CreateTruncating(actual[worst]), actual.Length == 0 ? 0 : expected[worst], worstError, 1);
    }
}
