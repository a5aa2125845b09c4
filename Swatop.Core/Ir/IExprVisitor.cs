namespace Swatop.Core.Ir;

/// <summary>
/// A consumer of every kind of <see cref="Expr"/>: <see cref="Expr.Accept(IExprVisitor)"/> calls the
/// <c>Visit</c> overload of the expression's own type, so a new kind of expression is a compile
/// error in every consumer until it handles it too.
/// </summary>
public interface IExprVisitor
{
    /// <summary>Visits a constant.</summary>
    void Visit(IntLiteral literal);

    /// <summary>Visits a variable.</summary>
    void Visit(Var variable);

    /// <summary>Visits a binary operation.</summary>
    void Visit(Binary binary);
}

/// <summary>
/// A consumer of every kind of <see cref="Expr"/> that computes a <typeparamref name="TResult"/> from
/// each: the result-returning form of <see cref="IExprVisitor"/>, reached through
/// <see cref="Expr.Accept{TResult}(IExprVisitor{TResult})"/>.
/// </summary>
/// <typeparam name="TResult">What a visit computes.</typeparam>
public interface IExprVisitor<out TResult>
{
    /// <summary>Visits a constant.</summary>
    TResult Visit(IntLiteral literal);

    /// <summary>Visits a variable.</summary>
    TResult Visit(Var variable);

    /// <summary>Visits a binary operation.</summary>
    TResult Visit(Binary binary);
}
