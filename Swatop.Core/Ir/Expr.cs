using System.Globalization;

namespace Swatop.Core.Ir;

/// <summary>
/// An integer expression of the loop IR: loop bounds, element offsets, extents and conditions
/// (which are 0 or 1). Expressions are immutable trees of <see cref="IntLiteral"/>, <see cref="Var"/> and
/// <see cref="Binary"/> nodes; the operators build them already folded where both sides are constants.
/// </summary>
public abstract record Expr
{
    /// <summary>Zero.</summary>
    public static readonly IntLiteral Zero = new(0);

    /// <summary>One.</summary>
    public static readonly IntLiteral One = new(1);

    /// <summary>The constant value when this is a <see cref="IntLiteral"/>, otherwise <see langword="null"/>.</summary>
    public long? AsConstant => this is IntLiteral c ? c.Value : null;

    /// <summary>Whether this is the constant <paramref name="value"/>.</summary>
    public bool IsConstant(long value) => this is IntLiteral c && c.Value == value;

    /// <summary>The expression as IR text.</summary>
    public sealed override string ToString() => IrPrinter.Print(this);

    /// <summary>Calls the <c>Visit</c> overload of <paramref name="visitor"/> for this expression's own type.</summary>
    public abstract void Accept(IExprVisitor visitor);

    /// <summary>Calls the <c>Visit</c> overload of <paramref name="visitor"/> for this expression's own type and returns its result.</summary>
    /// <typeparam name="TResult">What the visitor computes.</typeparam>
    public abstract TResult Accept<TResult>(IExprVisitor<TResult> visitor);

    /// <summary>A constant.</summary>
    public static implicit operator Expr(long value) => new IntLiteral(value);

    /// <summary>A constant.</summary>
    public static implicit operator Expr(int value) => new IntLiteral(value);

    /// <summary>Sum.</summary>
    public static Expr operator +(Expr left, Expr right) => Binary.Make(BinaryOp.Add, left, right);

    /// <summary>Difference.</summary>
    public static Expr operator -(Expr left, Expr right) => Binary.Make(BinaryOp.Sub, left, right);

    /// <summary>Product.</summary>
    public static Expr operator *(Expr left, Expr right) => Binary.Make(BinaryOp.Mul, left, right);

    /// <summary>Floor division (the divisor must be positive).</summary>
    public static Expr operator /(Expr left, Expr right) => Binary.Make(BinaryOp.Div, left, right);

    /// <summary>Floor remainder (the divisor must be positive).</summary>
    public static Expr operator %(Expr left, Expr right) => Binary.Make(BinaryOp.Mod, left, right);

    /// <summary>1 when <paramref name="left"/> &lt; <paramref name="right"/>, else 0.</summary>
    public static Expr Less(Expr left, Expr right) => Binary.Make(BinaryOp.Lt, left, right);

    /// <summary>1 when <paramref name="left"/> &lt;= <paramref name="right"/>, else 0.</summary>
    public static Expr LessOrEqual(Expr left, Expr right) => Binary.Make(BinaryOp.Le, left, right);

    /// <summary>The smaller of two expressions.</summary>
    public static Expr Min(Expr left, Expr right) => Binary.Make(BinaryOp.Min, left, right);

    /// <summary>The larger of two expressions.</summary>
    public static Expr Max(Expr left, Expr right) => Binary.Make(BinaryOp.Max, left, right);

    /// <summary>1 when both are non-zero.</summary>
    public static Expr And(Expr left, Expr right) => Binary.Make(BinaryOp.And, left, right);

    /// <summary>1 when either is non-zero.</summary>
    public static Expr Or(Expr left, Expr right) => Binary.Make(BinaryOp.Or, left, right);

    /// <summary>1 when the two are equal.</summary>
    public static Expr Equal(Expr left, Expr right) => Binary.Make(BinaryOp.Eq, left, right);

    /// <summary>1 when the two differ.</summary>
    public static Expr NotEqual(Expr left, Expr right) => Binary.Make(BinaryOp.Ne, left, right);

    /// <summary><paramref name="value"/> clamped into [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Expr Clamp(Expr value, Expr low, Expr high) => Max(low, Min(value, high));

    /// <summary>Named alternative for the + operator (CA2225).</summary>
    public static Expr Add(Expr left, Expr right) => left + right;

    /// <summary>Named alternative for the - operator (CA2225).</summary>
    public static Expr Subtract(Expr left, Expr right) => left - right;

    /// <summary>Named alternative for the * operator (CA2225).</summary>
    public static Expr Multiply(Expr left, Expr right) => left * right;

    /// <summary>Named alternative for the / operator (CA2225).</summary>
    public static Expr Divide(Expr left, Expr right) => left / right;

    /// <summary>Named alternative for the % operator (CA2225).</summary>
    public static Expr Mod(Expr left, Expr right) => left % right;

    /// <summary>Named alternative for the implicit conversion (CA2225).</summary>
    public static Expr FromInt64(long value) => new IntLiteral(value);
}

/// <summary>An integer constant.</summary>
/// <param name="Value">The value.</param>
public sealed record IntLiteral(long Value) : Expr
{
    /// <summary>The value as invariant text.</summary>
    public string Text => Value.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override void Accept(IExprVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IExprVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>
/// A variable: a loop variable, a let-bound name, or one of the built-ins every CPE knows
/// (<see cref="Row"/>, <see cref="Column"/>, <see cref="Group"/>).
/// </summary>
/// <param name="Name">A C identifier.</param>
public sealed record Var(string Name) : Expr
{
    /// <summary>The CPE's row in the mesh, 0..7 (<c>athread_get_id(-1) / 8</c>).</summary>
    public static readonly Var Row = new("row");

    /// <summary>The CPE's column in the mesh, 0..7.</summary>
    public static readonly Var Column = new("col");

    /// <summary>The core group the kernel runs on, 0..3.</summary>
    public static readonly Var Group = new("cg");

    /// <summary>Whether this is one of the built-ins rather than a loop or let variable.</summary>
    public bool IsBuiltIn => Name is "row" or "col" or "cg";

    /// <inheritdoc />
    public override void Accept(IExprVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc />
    public override TResult Accept<TResult>(IExprVisitor<TResult> visitor) => visitor.Visit(this);
}
