namespace Swatop.Core;

/// <summary>
/// The seeded operands a check runs an operator on: uniform values in [-0.5, 0.5), the left operand's
/// elements first, then the right's, from one <see cref="Random"/> of the seed. <c>swatop run</c>,
/// <c>swatop check</c> and the emitted-C check draw the same values for the same seed; a float
/// operator takes them rounded to float.
/// </summary>
public static class ReferenceOperands
{
    /// <summary>The left and right operands of <paramref name="expression"/> for <paramref name="seed"/>, in the framework's layout.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is null.</exception>
    public static (double[] Left, double[] Right) Draw(Contraction expression, int seed)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var random = new Random(seed);
        var left = Uniform(random, expression.Left.Tensor.ElementLength);
        return (left, Uniform(random, expression.Right.Tensor.ElementLength));
    }

    private static double[] Uniform(Random random, long count)
    {
        var values = new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() - 0.5;
        }

        return values;
    }
}
