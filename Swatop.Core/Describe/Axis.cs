namespace Swatop.Core;

/// <summary>
/// A named loop axis of a tensor expression, ranging over <c>0 .. Extent - 1</c>. Axes are
/// compared by value; within one <see cref="Contraction"/> names are unique.
/// </summary>
/// <param name="Name">The axis name, a C identifier (it names the loop in emitted code).</param>
/// <param name="Extent">The number of values, at least one.</param>
/// <param name="Kind">Whether the axis indexes the output or is summed over.</param>
public sealed record Axis(string Name, int Extent, AxisKind Kind)
{
    /// <summary>The axis name, a C identifier.</summary>
    public string Name { get; } = DescribeGuard.Identifier(Name, nameof(Name), "axis");

    /// <summary>The number of values the axis takes, at least one.</summary>
    public int Extent { get; } = CheckExtent(Extent, Name);

    /// <summary>Whether the axis indexes the output or is summed over.</summary>
    public AxisKind Kind { get; } = CheckKind(Kind);

    /// <summary>Creates an index axis.</summary>
    /// <param name="name">The axis name.</param>
    /// <param name="extent">The number of values.</param>
    /// <returns>The axis.</returns>
    public static Axis Index(string name, int extent) => new(name, extent, AxisKind.Index);

    /// <summary>Creates a reduction axis.</summary>
    /// <param name="name">The axis name.</param>
    /// <param name="extent">The number of values.</param>
    /// <returns>The axis.</returns>
    public static Axis Reduction(string name, int extent) => new(name, extent, AxisKind.Reduction);

    /// <summary>The expression <c>axis * coefficient</c>.</summary>
    /// <param name="axis">The axis.</param>
    /// <param name="coefficient">The coefficient, not zero.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression operator *(Axis axis, long coefficient) => AffineExpression.Of(axis) * coefficient;

    /// <summary>The expression <c>coefficient * axis</c>.</summary>
    /// <param name="coefficient">The coefficient, not zero.</param>
    /// <param name="axis">The axis.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression operator *(long coefficient, Axis axis) => AffineExpression.Of(axis) * coefficient;

    /// <summary>The expression <c>left + right</c>.</summary>
    /// <param name="left">The first axis.</param>
    /// <param name="right">The second axis.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression operator +(Axis left, Axis right) => AffineExpression.Of(left) + AffineExpression.Of(right);

    /// <summary>The expression <c>axis + constant</c>.</summary>
    /// <param name="axis">The axis.</param>
    /// <param name="constant">The offset.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression operator +(Axis axis, long constant) => AffineExpression.Of(axis) + constant;

    /// <summary>The expression <c>axis - constant</c>.</summary>
    /// <param name="axis">The axis.</param>
    /// <param name="constant">The offset subtracted.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression operator -(Axis axis, long constant) => AffineExpression.Of(axis) - constant;

    /// <summary>Multiplies an axis by a coefficient (the named alternative of <c>*</c>).</summary>
    /// <param name="axis">The axis.</param>
    /// <param name="coefficient">The coefficient.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression Multiply(Axis axis, long coefficient) => axis * coefficient;

    /// <summary>Adds two axes (the named alternative of <c>+</c>).</summary>
    /// <param name="left">The first axis.</param>
    /// <param name="right">The second axis.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression Add(Axis left, Axis right) => left + right;

    /// <summary>Subtracts a constant from an axis (the named alternative of <c>-</c>).</summary>
    /// <param name="axis">The axis.</param>
    /// <param name="constant">The constant.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression Subtract(Axis axis, long constant) => axis - constant;

    /// <summary>Prints the axis as <c>name:extent</c>, with <c>(r)</c> appended for a reduction axis.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{Name}:{DescribeGuard.Format(Extent)}{(Kind == AxisKind.Reduction ? "(r)" : string.Empty)}";

    private static int CheckExtent(int extent, string name)
    {
        if (extent < 1)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.AxisExtentTooSmall,
                nameof(Extent),
                $"Extent = {DescribeGuard.Format(extent)} of axis '{name}' is not valid: an axis extent must be at least 1.");
        }

        return extent;
    }

    private static AxisKind CheckKind(AxisKind kind)
    {
        DescribeGuard.Defined(kind, nameof(Kind));
        return kind;
    }
}
