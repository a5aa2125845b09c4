namespace Swatop.Core.Ir;

/// <summary>
/// Interval analysis of IR expressions: the [min, max] an expression can take given the ranges of
/// the variables in a <see cref="RangeScope"/>. Sums are analysed as linear forms, so like terms
/// cancel (<c>i + 1 - i</c> is exactly 1), and the scope's facts tighten the result
/// (<c>i * 64 - kc * 64</c> is at least 0 inside <c>if 0 &lt;= i - kc</c>). Unknown variables are unbounded.
/// </summary>
public static class Bounds
{
    /// <summary>The range of <paramref name="expression"/> in <paramref name="scope"/>.</summary>
    public static Interval Of(Expr expression, RangeScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        return Of(expression, scope, null);
    }

    /// <summary>The range of a linear form in <paramref name="scope"/>, tightened by the scope's facts.</summary>
    public static Interval Of(LinearForm form, RangeScope scope)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(scope);
        return Of(form, scope, null);
    }

    /// <summary>Whether <paramref name="expression"/> is provably <paramref name="value"/>.</summary>
    public static bool IsProvably(Expr expression, long value, RangeScope scope) =>
        Of(expression, scope) is var range && range.Min == value && range.Max == value;

    private static Interval Of(Expr expression, RangeScope scope, Elimination? eliminating) =>
        expression is IntLiteral literal ? Interval.Exactly(literal.Value) : Of(LinearForm.Of(expression), scope, eliminating);

    /// <summary>
    /// A fact <c>f</c> in range R that shares an atom with the form bounds the form by <c>R * factor + (form - factor * f)</c>.
    /// The rest may lead back to the atom the fact eliminated (a fact <c>d == max(0, min(x - d, d))</c>
    /// bounds <c>d</c> through an expression that holds <c>d</c>), so an atom already being eliminated
    /// further up is not eliminated again: each elimination removes a different atom, and there are
    /// finitely many.
    /// </summary>
    private static Interval Of(LinearForm form, RangeScope scope, Elimination? eliminating)
    {
        var range = WithoutFacts(form, scope, eliminating);
        if (form.IsConstant || !scope.HasFacts)
        {
            return range;
        }

        foreach (var (fact, factRange) in scope.Facts)
        {
            foreach (var (atom, factCoefficient) in fact.Terms)
            {
                var coefficient = form.CoefficientOf(atom);
                if (coefficient == 0 || coefficient % factCoefficient != 0 || Elimination.Contains(eliminating, atom))
                {
                    continue;
                }

                var factor = coefficient / factCoefficient;
                var rest = form.AddScaled(fact, -factor);
                range = range.Intersect(factRange.Scale(factor) + WithoutFacts(rest, scope, new Elimination(atom, eliminating)));
            }
        }

        return range;
    }

    private static Interval WithoutFacts(LinearForm form, RangeScope scope, Elimination? eliminating)
    {
        var range = Interval.Exactly(form.Constant);
        foreach (var (atom, coefficient) in form.Terms)
        {
            range += OfAtom(atom, scope, eliminating).Scale(coefficient);
        }

        return range;
    }

    private static Interval OfAtom(Expr atom, RangeScope scope, Elimination? eliminating) => atom switch
    {
        IntLiteral literal => Interval.Exactly(literal.Value),
        Var variable => scope.TryGetRange(variable.Name, out var range) ? range : Interval.Unbounded,
        Binary binary => OfBinary(binary, scope, eliminating),
        _ => Interval.Unbounded,
    };

    private static Interval OfBinary(Binary binary, RangeScope scope, Elimination? eliminating)
    {
        switch (binary.Op)
        {
            case BinaryOp.Lt or BinaryOp.Le or BinaryOp.Eq or BinaryOp.Ne:
                return Compare(binary.Op, Of(new Binary(BinaryOp.Sub, binary.Left, binary.Right), scope, eliminating));
            case BinaryOp.And:
            {
                var left = Of(binary.Left, scope, eliminating);
                var right = Of(binary.Right, scope, eliminating);
                return left.IsZero || right.IsZero ? Interval.Exactly(0)
                    : left.IsNonZero && right.IsNonZero ? Interval.Exactly(1) : Interval.Boolean;
            }

            case BinaryOp.Or:
            {
                var left = Of(binary.Left, scope, eliminating);
                var right = Of(binary.Right, scope, eliminating);
                return left.IsNonZero || right.IsNonZero ? Interval.Exactly(1)
                    : left.IsZero && right.IsZero ? Interval.Exactly(0) : Interval.Boolean;
            }

            default:
                return Arithmetic(binary.Op, Of(binary.Left, scope, eliminating), Of(binary.Right, scope, eliminating));
        }
    }

    private static Interval Compare(BinaryOp op, Interval difference) => op switch
    {
        BinaryOp.Lt when difference.Max < 0 => Interval.Exactly(1),
        BinaryOp.Lt when difference.Min >= 0 => Interval.Exactly(0),
        BinaryOp.Le when difference.Max <= 0 => Interval.Exactly(1),
        BinaryOp.Le when difference.Min > 0 => Interval.Exactly(0),
        BinaryOp.Eq when difference.IsZero => Interval.Exactly(1),
        BinaryOp.Eq when difference.IsNonZero => Interval.Exactly(0),
        BinaryOp.Ne when difference.IsZero => Interval.Exactly(0),
        BinaryOp.Ne when difference.IsNonZero => Interval.Exactly(1),
        _ => Interval.Boolean,
    };

    private static Interval Arithmetic(BinaryOp op, Interval left, Interval right)
    {
        switch (op)
        {
            case BinaryOp.Mul:
                return left * right;
            case BinaryOp.Min:
                return new Interval(Math.Min(left.Min, right.Min), Math.Min(left.Max, right.Max));
            case BinaryOp.Max:
                return new Interval(Math.Max(left.Min, right.Min), Math.Max(left.Max, right.Max));
            case BinaryOp.Div when right.Min > 0 && right.IsBounded && left.IsBounded:
            {
                var a = Binary.Apply(BinaryOp.Div, left.Min, right.Min);
                var b = Binary.Apply(BinaryOp.Div, left.Min, right.Max);
                var c = Binary.Apply(BinaryOp.Div, left.Max, right.Min);
                var d = Binary.Apply(BinaryOp.Div, left.Max, right.Max);
                return new Interval(Math.Min(Math.Min(a, b), Math.Min(c, d)), Math.Max(Math.Max(a, b), Math.Max(c, d)));
            }

            case BinaryOp.Div when right.Min > 0 && left.Min >= 0:
                return new Interval(0, long.MaxValue);
            case BinaryOp.Mod when right.Min > 0 && left.Min >= 0 && left.Max < right.Min:
                return left;
            case BinaryOp.Mod when right.Min > 0:
                return new Interval(0, right.Max == long.MaxValue ? long.MaxValue : right.Max - 1);
            default:
                return Interval.Unbounded;
        }
    }

    /// <summary>The atoms being eliminated by facts on the way to the current sub-expression, innermost first.</summary>
    private sealed record Elimination(Expr Atom, Elimination? Outer)
    {
        public static bool Contains(Elimination? chain, Expr atom)
        {
            for (var link = chain; link is not null; link = link.Outer)
            {
                if (link.Atom == atom)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
