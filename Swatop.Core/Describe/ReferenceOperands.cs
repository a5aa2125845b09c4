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

    /// <summary>
    /// Every input of <paramref name="spec"/> for <paramref name="seed"/>, in the order of <see cref="OperatorSpec.Inputs"/>:
    /// the left and right operands as <see cref="Draw(Contraction, int)"/> draws them, then the epilogue's tensors
    /// (a bias, a residual), drawn after them from the same generator.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public static double[][] Draw(OperatorSpec spec, int seed) => DrawEach(spec, seed, Uniform);

    /// <summary>
    /// The inputs <see cref="Draw(OperatorSpec, int)"/> draws for <paramref name="seed"/>, each value rounded to float as
    /// it is drawn: what a float operator takes, without the double arrays ever being held.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public static float[][] DrawFloat(OperatorSpec spec, int seed) => DrawEach(spec, seed, UniformFloat);

    private static T[][] DrawEach<T>(OperatorSpec spec, int seed, Func<Random, long, T[]> uniform)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var expression = spec.Expression;
        var random = new Random(seed);
        var left = uniform(random, expression.Left.Tensor.ElementLength);
        var right = uniform(random, expression.Right.Tensor.ElementLength);
        return [left, right, .. spec.EpilogueInputs.Select(input => uniform(random, input.Tensor.ElementLength))];
    }

    private static float[] UniformFloat(Random random, long count)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
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
