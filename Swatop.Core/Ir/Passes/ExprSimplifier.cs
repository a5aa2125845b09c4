namespace Swatop.Core.Ir.Passes;

/// <summary>
/// Canonical simplification of one expression: sums become linear forms with like terms collected
/// and constants folded (<c>(kr * 3 + kc) * 256</c> is <c>kr * 768 + kc * 256</c>); multiples of a
/// constant divisor leave divisions and remainders; min, max, comparisons and logic that interval
/// analysis decides in the given scope become their value. The result is a fixed point.
/// </summary>
public static class ExprSimplifier
{
    /// <summary>The simplified form of <paramref name="expression"/> where <paramref name="scope"/> holds.</summary>
    public static Expr Simplify(Expr expression, RangeScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        if (expression is not Binary binary)
        {
            return expression;
        }

        var left = Simplify(binary.Left, scope);
        var right = Simplify(binary.Right, scope);
        if (left is IntLiteral l && right is IntLiteral r && Binary.TryApply(binary.Op, l.Value, r.Value, out var folded))
        {
            return new IntLiteral(folded);
        }

        var simplified = binary.Op switch
        {
            BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul => LinearForm.Of(new Binary(binary.Op, left, right)).ToExpr(),
            BinaryOp.Div or BinaryOp.Mod when right is IntLiteral { Value: > 0 } divisor => Divide(binary.Op, left, divisor.Value, scope),
            BinaryOp.Min or BinaryOp.Max => Extreme(binary.Op, left, right, scope),
            BinaryOp.And => Logic(left, right, scope, keepWhen: true),
            BinaryOp.Or => Logic(left, right, scope, keepWhen: false),
            _ => new Binary(binary.Op, left, right),
        };
        // Sums and extremes are already decided above; what is left may still be a provable constant.
        var decidable = binary.Op is not (BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Min or BinaryOp.Max);
        return decidable && simplified is Binary && Bounds.Of(simplified, scope) is { IsConstant: true } range ? new IntLiteral(range.Min) : simplified;
    }

    /// <summary>
    /// <c>(d * X + R) / d = X + R / d</c> and <c>(d * X + R) % d = R % d</c>, with the constant of R
    /// reduced into [0, d - 1]; <c>R / d</c> is 0 and <c>R % d</c> is R when R provably lies in [0, d - 1].
    /// </summary>
    private static Expr Divide(BinaryOp op, Expr left, long divisor, RangeScope scope)
    {
        if (divisor == 1)
        {
            return op == BinaryOp.Div ? left : Expr.Zero;
        }

        var form = LinearForm.Of(left);
        var quotient = LinearForm.OfConstant(Binary.Apply(BinaryOp.Div, form.Constant, divisor));
        var rest = LinearForm.OfConstant(Binary.Apply(BinaryOp.Mod, form.Constant, divisor));
        foreach (var (atom, coefficient) in form.Terms)
        {
            var term = LinearForm.Of(atom);
            if (coefficient % divisor == 0)
            {
                quotient = quotient.AddScaled(term, coefficient / divisor);
            }
            else
            {
                rest = rest.AddScaled(term, coefficient);
            }
        }

        var restRange = Bounds.Of(rest, scope);
        var restFits = restRange.Min >= 0 && restRange.Max < divisor;
        if (op == BinaryOp.Mod)
        {
            return restFits ? rest.ToExpr() : new Binary(BinaryOp.Mod, rest.ToExpr(), new IntLiteral(divisor));
        }

        if (restFits)
        {
            return quotient.ToExpr();
        }

        if (quotient.IsConstant && quotient.Constant == 0)
        {
            return new Binary(BinaryOp.Div, rest.ToExpr(), new IntLiteral(divisor));
        }

        return quotient.AddScaled(LinearForm.Of(new Binary(BinaryOp.Div, rest.ToExpr(), new IntLiteral(divisor))), 1).ToExpr();
    }

    private static Expr Extreme(BinaryOp op, Expr left, Expr right, RangeScope scope)
    {
        if (left == right)
        {
            return left;
        }

        var difference = Bounds.Of(LinearForm.Of(left).AddScaled(LinearForm.Of(right), -1), scope);
        var leftIsSmaller = difference.Max <= 0;
        var leftIsLarger = difference.Min >= 0;
        return (op, leftIsSmaller, leftIsLarger) switch
        {
            (BinaryOp.Min, true, _) or (BinaryOp.Max, _, true) => left,
            (BinaryOp.Min, _, true) or (BinaryOp.Max, true, _) => right,
            _ => new Binary(op, left, right),
        };
    }

    /// <summary>
    /// And (<paramref name="keepWhen"/> true) drops an operand that is provably non-zero, Or (false)
    /// one that is provably zero, when the other operand is a truth value (in [0, 1]).
    /// </summary>
    private static Expr Logic(Expr left, Expr right, RangeScope scope, bool keepWhen)
    {
        var leftRange = Bounds.Of(left, scope);
        var rightRange = Bounds.Of(right, scope);
        bool Neutral(Interval range) => keepWhen ? range.IsNonZero : range.IsZero;
        bool IsTruth(Interval range) => range.Min >= 0 && range.Max <= 1;
        if (Neutral(leftRange) && IsTruth(rightRange))
        {
            return right;
        }

        if (Neutral(rightRange) && IsTruth(leftRange))
        {
            return left;
        }

        return new Binary(keepWhen ? BinaryOp.And : BinaryOp.Or, left, right);
    }
}
