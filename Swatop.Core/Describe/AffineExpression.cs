using System.Collections.Immutable;
using System.Text;

namespace Swatop.Core;

/// <summary>
/// An affine index expression: a sum of <see cref="AffineTerm"/>s plus a constant, such as
/// <c>oh*2 + kh - 1</c>. Immutable and compared by value: terms are merged per axis (by name),
/// zero coefficients dropped, and kept in the order their axes were first seen.
/// </summary>
public sealed record AffineExpression
{
    private AffineExpression(ImmutableArray<AffineTerm> terms, long constant)
    {
        Terms = terms;
        Constant = constant;
        long min = constant, max = constant;
        foreach (var t in terms)
        {
            var last = DescribeGuard.Multiply(t.Coefficient, t.Axis.Extent - 1L, nameof(Terms), "the term's largest value");
            min = DescribeGuard.Add(min, Math.Min(0, last), nameof(Terms), "the expression's smallest value");
            max = DescribeGuard.Add(max, Math.Max(0, last), nameof(Terms), "the expression's largest value");
        }

        Range = (min, max);
    }

    /// <summary>The terms: at most one per axis, none with a zero coefficient, in the order first seen.</summary>
    public ImmutableArray<AffineTerm> Terms { get; }

    /// <summary>The constant added to the terms.</summary>
    public long Constant { get; }

    /// <summary>The smallest and largest value over all axis values <c>0 .. Extent - 1</c>.</summary>
    public (long Min, long Max) Range { get; }

    /// <summary>The expression consisting of one axis, with coefficient one.</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression Of(Axis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        return new AffineExpression([new AffineTerm(axis, 1)], 0);
    }

    /// <summary>The constant expression <paramref name="value"/>.</summary>
    /// <param name="value">The constant.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression FromConstant(long value) => new([], value);

    /// <summary>The expression consisting of one axis (the named alternative of the implicit conversion).</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression FromAxis(Axis axis) => Of(axis);

    /// <summary>Builds an expression from terms and a constant, merging terms of the same axis.</summary>
    /// <param name="terms">The terms, in any order; same-named axes are merged, zero sums dropped.</param>
    /// <param name="constant">The constant.</param>
    /// <returns>The expression.</returns>
    public static AffineExpression Create(IEnumerable<AffineTerm> terms, long constant = 0)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var axes = new List<Axis>();
        var sums = new List<long>();
        foreach (var t in terms)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(terms));
            var i = axes.FindIndex(a => a.Name == t.Axis.Name);
            if (i < 0)
            {
                axes.Add(t.Axis);
                sums.Add(t.Coefficient);
            }
            else
            {
                sums[i] = DescribeGuard.Add(sums[i], t.Coefficient, nameof(terms), $"the coefficient of '{t.Axis.Name}'");
            }
        }

        var merged = ImmutableArray.CreateBuilder<AffineTerm>(axes.Count);
        for (var i = 0; i < axes.Count; i++)
        {
            if (sums[i] != 0)
            {
                merged.Add(new AffineTerm(axes[i], sums[i]));
            }
        }

        return new AffineExpression(merged.ToImmutable(), constant);
    }

    /// <summary>An axis as an expression with coefficient one.</summary>
    /// <param name="axis">The axis.</param>
    public static implicit operator AffineExpression(Axis axis) => Of(axis);

    /// <summary>The sum of two expressions.</summary>
    /// <param name="left">The first expression.</param>
    /// <param name="right">The second expression.</param>
    /// <returns>The sum, terms merged.</returns>
    public static AffineExpression operator +(AffineExpression left, AffineExpression right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Create(left.Terms.Concat(right.Terms), DescribeGuard.Add(left.Constant, right.Constant, nameof(right), "the constant"));
    }

    /// <summary>The expression plus a constant.</summary>
    /// <param name="left">The expression.</param>
    /// <param name="constant">The constant.</param>
    /// <returns>The sum.</returns>
    public static AffineExpression operator +(AffineExpression left, long constant)
    {
        ArgumentNullException.ThrowIfNull(left);
        return new AffineExpression(left.Terms, DescribeGuard.Add(left.Constant, constant, nameof(constant), "the constant"));
    }

    /// <summary>The expression minus a constant.</summary>
    /// <param name="left">The expression.</param>
    /// <param name="constant">The constant.</param>
    /// <returns>The difference.</returns>
    public static AffineExpression operator -(AffineExpression left, long constant) =>
        left + DescribeGuard.Multiply(constant, -1, nameof(constant), "the negated constant");

    /// <summary>The expression scaled by a factor; scaling by zero gives the constant zero.</summary>
    /// <param name="left">The expression.</param>
    /// <param name="factor">The factor.</param>
    /// <returns>The scaled expression.</returns>
    public static AffineExpression operator *(AffineExpression left, long factor)
    {
        ArgumentNullException.ThrowIfNull(left);
        if (factor == 0)
        {
            return FromConstant(0);
        }

        var terms = left.Terms.Select(t => new AffineTerm(t.Axis, DescribeGuard.Multiply(t.Coefficient, factor, nameof(factor), $"the coefficient of '{t.Axis.Name}'")));
        return new AffineExpression([.. terms], DescribeGuard.Multiply(left.Constant, factor, nameof(factor), "the constant"));
    }

    /// <summary>The expression scaled by a factor.</summary>
    /// <param name="factor">The factor.</param>
    /// <param name="right">The expression.</param>
    /// <returns>The scaled expression.</returns>
    public static AffineExpression operator *(long factor, AffineExpression right) => right * factor;

    /// <summary>The sum of two expressions (the named alternative of <c>+</c>).</summary>
    /// <param name="left">The first expression.</param>
    /// <param name="right">The second expression.</param>
    /// <returns>The sum.</returns>
    public static AffineExpression Add(AffineExpression left, AffineExpression right) => left + right;

    /// <summary>The expression minus a constant (the named alternative of <c>-</c>).</summary>
    /// <param name="left">The expression.</param>
    /// <param name="constant">The constant.</param>
    /// <returns>The difference.</returns>
    public static AffineExpression Subtract(AffineExpression left, long constant) => left - constant;

    /// <summary>The expression scaled by a factor (the named alternative of <c>*</c>).</summary>
    /// <param name="left">The expression.</param>
    /// <param name="factor">The factor.</param>
    /// <returns>The scaled expression.</returns>
    public static AffineExpression Multiply(AffineExpression left, long factor) => left * factor;

    /// <summary>The coefficient of an axis (matched by name), zero when the expression does not read it.</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The coefficient.</returns>
    public long CoefficientOf(Axis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        foreach (var t in Terms)
        {
            if (t.Axis.Name == axis.Name)
            {
                return t.Coefficient;
            }
        }

        return 0;
    }

    /// <summary>True when the expression reads the axis (matched by name).</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>Whether the coefficient of the axis is not zero.</returns>
    public bool DependsOn(Axis axis) => CoefficientOf(axis) != 0;

    /// <summary>The value for the given axis values, looked up by axis name.</summary>
    /// <param name="values">A value for each axis the expression reads.</param>
    /// <returns>The value.</returns>
    public long Evaluate(IReadOnlyDictionary<string, long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sum = Constant;
        foreach (var t in Terms)
        {
            sum += t.Coefficient * values[t.Axis.Name];
        }

        return sum;
    }

    /// <summary>True when both expressions have the same terms in the same order and the same constant.</summary>
    /// <param name="other">The other expression.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(AffineExpression? other) =>
        other is not null && Constant == other.Constant && Terms.SequenceEqual(other.Terms);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Constant);
        foreach (var t in Terms)
        {
            hash.Add(t);
        }

        return hash.ToHashCode();
    }

    /// <summary>Prints the expression deterministically, such as <c>oh*2 + kh - 1</c>, or <c>0</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var t in Terms)
        {
            if (text.Length == 0)
            {
                text.Append(t.Coefficient < 0 ? "-" : string.Empty);
            }
            else
            {
                text.Append(t.Coefficient < 0 ? " - " : " + ");
            }

            var magnitude = Math.Abs(t.Coefficient);
            text.Append(magnitude == 1 ? t.Axis.Name : $"{t.Axis.Name}*{DescribeGuard.Format(magnitude)}");
        }

        if (text.Length == 0)
        {
            return DescribeGuard.Format(Constant);
        }

        if (Constant != 0)
        {
            text.Append(Constant < 0 ? " - " : " + ").Append(DescribeGuard.Format(Math.Abs(Constant)));
        }

        return text.ToString();
    }
}
