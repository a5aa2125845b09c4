namespace Swatop.Core;

/// <summary>One term <c>Axis * Coefficient</c> of an <see cref="AffineExpression"/>.</summary>
/// <param name="Axis">The axis.</param>
/// <param name="Coefficient">The coefficient, never zero.</param>
public sealed record AffineTerm(Axis Axis, long Coefficient)
{
    /// <summary>The axis the term multiplies.</summary>
    public Axis Axis { get; } = Axis ?? throw new ArgumentNullException(nameof(Axis));

    /// <summary>The coefficient, never zero.</summary>
    public long Coefficient { get; } = CheckCoefficient(Coefficient, Axis);

    /// <summary>Prints the term as <c>name</c> (coefficient 1) or <c>name*coefficient</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Coefficient == 1 ? Axis.Name : $"{Axis.Name}*{DescribeGuard.Format(Coefficient)}";

    private static long CheckCoefficient(long coefficient, Axis? axis)
    {
        if (coefficient == 0)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.ZeroCoefficient,
                nameof(Coefficient),
                $"Coefficient = 0 for axis '{axis?.Name}' is not valid: an affine term's coefficient must not be zero (leave the term out instead).");
        }

        return coefficient;
    }
}
