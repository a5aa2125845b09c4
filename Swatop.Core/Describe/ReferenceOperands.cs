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
        var left = Uniform<double>(random, expression.Left.Tensor.ElementLength);
        return (left, Uniform<double>(random, expression.Right.Tensor.ElementLength));
    }

    /// <summary>
    /// Every input of <paramref name="spec"/> for <paramref name="seed"/>, in the order of <see cref="OperatorSpec.Inputs"/>:
    /// the left and right operands as <see cref="Draw(Contraction, int)"/> draws them, then the epilogue's tensors
    /// (a bias, a residual), drawn after them from the same generator.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public static double[][] Draw(OperatorSpec spec, int seed) => DrawEach<double>(spec, seed);

    /// <summary>
    /// The inputs <see cref="Draw(OperatorSpec, int)"/> draws for <paramref name="seed"/>, each value rounded to float as
    /// it is drawn: what a float operator takes, without the double arrays ever being held.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public static float[][] DrawFloat(OperatorSpec spec, int seed) => DrawEach<float>(spec, seed);

    private static T[][] DrawEach<T>(OperatorSpec spec, int seed)
        where T : System.Numerics.INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        var expression = spec.Expression;
        var random = new Random(seed);
        var left = Uniform<T>(random, expression.Left.Tensor.ElementLength);
        var right = Uniform<T>(random, expression.Right.Tensor.ElementLength);
        return [left, right, .. spec.EpilogueInputs.Select(input => Uniform<T>(random, input.Tensor.ElementLength))];
    }

    /// <summary><paramref name="count"/> values of <paramref name="random"/> in [-0.5, 0.5), each rounded to <typeparamref name="T"/> as it is drawn.</summary>
    private static T[] Uniform<T>(Random random, long count)
        where T : System.Numerics.INumberBase<T>
    {
        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        }

        return values;
    }
}
