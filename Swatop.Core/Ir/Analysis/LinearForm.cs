using System.Collections.Immutable;

namespace Swatop.Core.Ir;

/// <summary>
/// An expression seen as an affine sum: <c>c1 * atom1 + c2 * atom2 + ... + constant</c>, where the
/// atoms are variables or non-affine sub-expressions (divisions, remainders, min / max, comparisons,
/// products of two non-constants). Like terms are collected; atoms keep the order in which they first
/// appear, which is the order <see cref="ToExpr"/> writes them back in.
/// </summary>
public sealed class LinearForm
{
    private LinearForm(ImmutableArray<(Expr Atom, long Coefficient)> terms, long constant)
    {
        Terms = terms;
        Constant = constant;
    }

    /// <summary>The atoms with their non-zero coefficients, in order of first appearance.</summary>
    public ImmutableArray<(Expr Atom, long Coefficient)> Terms { get; }

    /// <summary>The constant term.</summary>
    public long Constant { get; }

    /// <summary>Whether the form is a constant (has no atoms).</summary>
    public bool IsConstant => Terms.IsEmpty;

    /// <summary>The form of a constant.</summary>
    public static LinearForm OfConstant(long value) => new(ImmutableArray<(Expr, long)>.Empty, value);

    /// <summary>Decomposes an expression; sub-expressions that are not affine become atoms as they are.</summary>
    public static LinearForm Of(Expr expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var builder = new Builder();
        builder.Add(expression, 1);
        return builder.ToForm();
    }

    /// <summary>The coefficient of <paramref name="atom"/>, 0 when absent.</summary>
    public long CoefficientOf(Expr atom)
    {
        foreach (var (a, c) in Terms)
        {
            if (a == atom)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary><c>this + factor * other</c>.</summary>
    public LinearForm AddScaled(LinearForm other, long factor)
    {
        ArgumentNullException.ThrowIfNull(other);
        var builder = new Builder();
        builder.AddForm(this, 1);
        builder.AddForm(other, factor);
        return builder.ToForm();
    }

    /// <summary>
    /// The form as an expression: the positive terms in order, then the negative ones subtracted, then
    /// the constant; a form without positive terms starts with its constant (<c>7 - band * 4</c>).
    /// </summary>
    public Expr ToExpr()
    {
        Expr? sum = null;
        foreach (var (atom, coefficient) in Terms)
        {
            if (coefficient > 0)
            {
                var term = Scaled(atom, coefficient);
                sum = sum is null ? term : new Binary(BinaryOp.Add, sum, term);
            }
        }

        var constantWritten = sum is null;
        sum ??= new IntLiteral(Constant);
        foreach (var (atom, coefficient) in Terms)
        {
            if (coefficient < 0)
            {
                sum = new Binary(BinaryOp.Sub, sum, Scaled(atom, -coefficient));
            }
        }

        if (constantWritten || Constant == 0)
        {
            return sum;
        }

        return Constant > 0 || Constant == long.MinValue
            ? new Binary(BinaryOp.Add, sum, new IntLiteral(Constant))
            : new Binary(BinaryOp.Sub, sum, new IntLiteral(-Constant));
    }

    private static Expr Scaled(Expr atom, long coefficient) =>
        coefficient == 1 ? atom : new Binary(BinaryOp.Mul, atom, new IntLiteral(coefficient));

    private sealed class Builder
    {
        private readonly List<(Expr Atom, long Coefficient)> _terms = [];
        private long _constant;

        public void Add(Expr expression, long factor)
        {
            switch (expression)
            {
                case IntLiteral literal:
                    _constant += factor * literal.Value;
                    break;
                case Binary { Op: BinaryOp.Add } add:
                    Add(add.Left, factor);
                    Add(add.Right, factor);
                    break;
                case Binary { Op: BinaryOp.Sub } sub:
                    Add(sub.Left, factor);
                    Add(sub.Right, -factor);
                    break;
                case Binary { Op: BinaryOp.Mul } mul when ConstantOf(mul.Right) is { } right:
                    Add(mul.Left, factor * right);
                    break;
                case Binary { Op: BinaryOp.Mul } mul when ConstantOf(mul.Left) is { } left:
                    Add(mul.Right, factor * left);
                    break;
                default:
                    AddAtom(expression, factor);
                    break;
            }
        }

        public void AddForm(LinearForm form, long factor)
        {
            foreach (var (atom, coefficient) in form.Terms)
            {
                AddAtom(atom, factor * coefficient);
            }

            _constant += factor * form.Constant;
        }

        public LinearForm ToForm() =>
            new([.. _terms.Where(t => t.Coefficient != 0)], _constant);

        private void AddAtom(Expr atom, long coefficient)
        {
            for (var i = 0; i < _terms.Count; i++)
            {
                if (_terms[i].Atom == atom)
                {
                    _terms[i] = (atom, _terms[i].Coefficient + coefficient);
                    return;
                }
            }

            _terms.Add((atom, coefficient));
        }

        private static long? ConstantOf(Expr expression)
        {
            if (expression is IntLiteral literal)
            {
                return literal.Value;
            }

            if (expression is Binary { Op: BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul })
            {
                var form = Of(expression);
                return form.IsConstant ? form.Constant : null;
            }

            return null;
        }
    }
}
