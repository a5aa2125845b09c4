using System.Linq.Expressions;
using Swatop.Core.Ir;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// An IR expression compiled against a kernel's variable slots: evaluating it reads the CPE's
/// slot array and allocates nothing. Constants are folded at compile time, and the common shapes
/// (a slot, a constant, an operator with a constant right-hand side) have nodes of their own.
/// </summary>
internal abstract class CompiledExpr
{
    /// <summary>Whether the value is known at compile time.</summary>
    public virtual bool IsConstant => false;

    /// <summary>Whether evaluating it is one step (a constant, a slot, a slot and a constant), so machine code would not be faster.</summary>
    public virtual bool IsSingleStep => false;

    /// <summary>The value for the variables in <paramref name="slots"/>.</summary>
    public abstract long Evaluate(long[] slots);

    /// <summary>
    /// Compiles <paramref name="expression"/>; <paramref name="slotOf"/> resolves a variable to its
    /// slot, or throws. A tree of more than one operator becomes machine code once it has been
    /// evaluated often (<see cref="TieredExpr"/>).
    /// </summary>
    public static CompiledExpr Compile(Expr expression, Func<Var, int> slotOf)
    {
        var tree = Build(expression, slotOf);
        return tree.IsSingleStep ? tree : new TieredExpr(tree);
    }

    /// <summary>The same computation as a LINQ expression over the slot array <paramref name="slots"/>.</summary>
    internal abstract Expression ToLinq(ParameterExpression slots);

    private static CompiledExpr Build(Expr expression, Func<Var, int> slotOf) => expression.Accept(new Builder(slotOf));

    private static CompiledExpr CompileBinary(BinaryOp op, CompiledExpr left, CompiledExpr right)
    {
        if (left is ConstantExpr l && right is ConstantExpr r && Binary.TryApply(op, l.Value, r.Value, out var folded))
        {
            return new ConstantExpr(folded);
        }

        return op switch
        {
            BinaryOp.Add => Make<AddOperator>(left, right),
            BinaryOp.Sub => Make<SubtractOperator>(left, right),
            BinaryOp.Mul => Make<MultiplyOperator>(left, right),
            BinaryOp.Div => Make<DivideOperator>(left, right),
            BinaryOp.Mod => Make<ModuloOperator>(left, right),
            BinaryOp.Min => Make<MinOperator>(left, right),
            BinaryOp.Max => Make<MaxOperator>(left, right),
            BinaryOp.Lt => Make<LessOperator>(left, right),
            BinaryOp.Le => Make<LessOrEqualOperator>(left, right),
            BinaryOp.Eq => Make<EqualOperator>(left, right),
            BinaryOp.Ne => Make<NotEqualOperator>(left, right),
            BinaryOp.And => Make<AndOperator>(left, right),
            BinaryOp.Or => Make<OrOperator>(left, right),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown IR operator."),
        };
    }

    private static CompiledExpr Make<TOperator>(CompiledExpr left, CompiledExpr right)
        where TOperator : struct, IIntOperator => right switch
        {
            ConstantExpr constant when left is SlotExpr slot => new SlotConstantExpr<TOperator>(slot.Slot, constant.Value),
            ConstantExpr constant => new ConstantRightExpr<TOperator>(left, constant.Value),
            _ => new BinaryExpr<TOperator>(left, right),
        };

    /// <summary>Builds the evaluator tree of an expression node by node.</summary>
    private sealed class Builder(Func<Var, int> slotOf) : IExprVisitor<CompiledExpr>
    {
        public CompiledExpr Visit(IntLiteral literal) => new ConstantExpr(literal.Value);

        public CompiledExpr Visit(Var variable) => new SlotExpr(slotOf(variable));

        public CompiledExpr Visit(Binary binary) => CompileBinary(binary.Op, binary.Left.Accept(this), binary.Right.Accept(this));
    }
}

/// <summary>A constant.</summary>
internal sealed class ConstantExpr(long value) : CompiledExpr
{
    public long Value { get; } = value;

    public override bool IsConstant => true;

    public override bool IsSingleStep => true;

    public override long Evaluate(long[] slots) => Value;

    internal override Expression ToLinq(ParameterExpression slots) => Expression.Constant(Value);
}

/// <summary>A variable: one slot of the CPE's frame.</summary>
internal sealed class SlotExpr(int slot) : CompiledExpr
{
    public int Slot { get; } = slot;

    public override bool IsSingleStep => true;

    public override long Evaluate(long[] slots) => slots[Slot];

    internal override Expression ToLinq(ParameterExpression slots) => Expression.ArrayIndex(slots, Expression.Constant(Slot));
}

/// <summary>A variable and a constant, the most common operation (<c>i + 1</c>, <c>row * 16</c>).</summary>
internal sealed class SlotConstantExpr<TOperator>(int slot, long right) : CompiledExpr
    where TOperator : struct, IIntOperator
{
    public override bool IsSingleStep => true;

    public override long Evaluate(long[] slots) => TOperator.Apply(slots[slot], right);

    internal override Expression ToLinq(ParameterExpression slots) =>
        TieredExpr.Call<TOperator>(Expression.ArrayIndex(slots, Expression.Constant(slot)), Expression.Constant(right));
}

/// <summary>An expression and a constant.</summary>
internal sealed class ConstantRightExpr<TOperator>(CompiledExpr left, long right) : CompiledExpr
    where TOperator : struct, IIntOperator
{
    public override long Evaluate(long[] slots) => TOperator.Apply(left.Evaluate(slots), right);

    internal override Expression ToLinq(ParameterExpression slots) => TieredExpr.Call<TOperator>(left.ToLinq(slots), Expression.Constant(right));
}

/// <summary>Two expressions.</summary>
internal sealed class BinaryExpr<TOperator>(CompiledExpr left, CompiledExpr right) : CompiledExpr
    where TOperator : struct, IIntOperator
{
    public override long Evaluate(long[] slots) => TOperator.Apply(left.Evaluate(slots), right.Evaluate(slots));

    internal override Expression ToLinq(ParameterExpression slots) => TieredExpr.Call<TOperator>(left.ToLinq(slots), right.ToLinq(slots));
}
