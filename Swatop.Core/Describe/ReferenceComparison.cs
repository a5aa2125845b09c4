using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>
/// A kernel's output set against the reference (<see cref="GemmEvaluator"/>): each element must lie
/// within <see cref="Tolerance"/> times the sum of the magnitudes of its products, the bound that
/// summing in another order (as every schedule does) or rounding to float once can reach.
/// </summary>
/// <param name="Elements">The output elements compared.</param>
/// <param name="Mismatches">How many lie outside the bound.</param>
/// <param name="WorstIndex">The flat index of the element with the largest error relative to its bound.</param>
/// <param name="Actual">That element's value in the kernel's output.</param>
/// <param name="Expected">That element's reference value.</param>
/// <param name="WorstError">Its error over the sum of magnitudes of its products.</param>
/// <param name="Tolerance">The largest relative error accepted.</param>
public sealed record ReferenceComparison(long Elements, long Mismatches, long WorstIndex, double Actual, double Expected, double WorstError, double Tolerance)
{
    /// <summary>Whether every element lies within the bound.</summary>
    public bool Passed => Mismatches == 0;

    /// <summary>
    /// The relative error accepted for <paramref name="type"/> when <paramref name="terms"/> products
    /// are summed: float results are rounded once from double (2^-24), double sums may differ by a
    /// rounding per term (2^-53 each), with a floor of 1e-13.
    /// </summary>
    public static double ToleranceFor(ElementType type, long terms) =>
        type == ElementType.Float32 ? 1e-6 : Math.Max(1e-13, 4.0 * Math.Max(1, terms) * Math.Pow(2, -53));

    /// <summary>Compares <paramref name="actual"/> with the reference value of <paramref name="expression"/> on the operands (widened to double).</summary>
    /// <param name="expression">The contraction the kernel computes.</param>
    /// <param name="type">The kernel's element type.</param>
    /// <param name="left">The left operand, row-major.</param>
    /// <param name="right">The right operand, row-major.</param>
    /// <param name="actual">The kernel's output, row-major, widened to double.</param>
    /// <exception cref="ArgumentException">An array's length is not its tensor's element count.</exception>
    public static ReferenceComparison Compare(Contraction expression, ElementType type, double[] left, double[] right, double[] actual)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(actual);
        if (actual.Length != expression.Output.Tensor.ElementLength)
        {
            throw new ArgumentException($"actual.Length = {actual.Length} does not match tensor '{expression.Output.Tensor}': it must hold exactly {expression.Output.Tensor.ElementLength} elements.", nameof(actual));
        }

        var expected = GemmEvaluator.Evaluate(expression, left, right);
        var magnitude = GemmEvaluator.Evaluate(expression, [.. left.Select(Math.Abs)], [.. right.Select(Math.Abs)]);
        var terms = expression.ReductionAxes.Aggregate(1L, (product, axis) => product * axis.Extent);
        var tolerance = ToleranceFor(type, terms);
        long mismatches = 0, worst = 0;
        var worstError = -1.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var error = actual[i] == expected[i] ? 0 : Math.Abs(actual[i] - expected[i]) / (magnitude[i] + double.Epsilon);
            if (double.IsNaN(error))
            {
                error = double.PositiveInfinity;
            }

            if (error > tolerance)
            {
                mismatches++;
            }

            if (error > worstError)
            {
                (worst, worstError) = (i, error);
            }
        }

        return new ReferenceComparison(expected.Length, mismatches, worst, expected.Length == 0 ? 0 : actual[worst], expected.Length == 0 ? 0 : expected[worst], Math.Max(0, worstError), tolerance);
    }

    /// <summary>One line: <c>ok</c> with the worst relative error, or how many elements differ and the worst of them.</summary>
    public override string ToString() => Passed
        ? string.Create(CultureInfo.InvariantCulture, $"ok: {Elements} elements, largest relative error {WorstError:G3} (bound {Tolerance:G3})")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Mismatches} of {Elements} elements differ from the reference; the worst, element {WorstIndex}, is {Actual:R} instead of {Expected:R} (relative error {WorstError:G3}, bound {Tolerance:G3})");
}
