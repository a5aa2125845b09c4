namespace Swatop.Core.Ir.Passes;

/// <summary>
/// A rewriter that knows, at every node, the <see cref="RangeScope"/> in force: the ranges of the
/// built-ins, of the enclosing loop and let variables, and the facts of the enclosing conditions.
/// </summary>
internal abstract class ScopedRewriter : IrRewriter
{
    protected ScopedRewriter(RangeScope scope) => Scope = scope;

    /// <summary>What interval analysis knows at the node being rewritten.</summary>
    protected RangeScope Scope { get; private set; }

    /// <summary>Rewrites <paramref name="statement"/> in <paramref name="scope"/>, then restores the current scope.</summary>
    protected Stmt RewriteIn(RangeScope scope, Stmt statement)
    {
        var saved = Scope;
        Scope = scope;
        var rewritten = Rewrite(statement);
        Scope = saved;
        return rewritten;
    }

    /// <inheritdoc />
    protected override Stmt RewriteFor(ForLoop forLoop)
    {
        var extent = Rewrite(forLoop.Extent);
        var body = RewriteIn(Scope.BindLoop(forLoop.Var, extent), forLoop.Body);
        return ReferenceEquals(extent, forLoop.Extent) && ReferenceEquals(body, forLoop.Body) ? forLoop : forLoop with { Extent = extent, Body = body };
    }

    /// <inheritdoc />
    protected override Stmt RewriteLet(Let let)
    {
        var value = Rewrite(let.Value);
        var body = RewriteIn(Scope.BindLet(let.Var, value), let.Body);
        return ReferenceEquals(value, let.Value) && ReferenceEquals(body, let.Body) ? let : let with { Value = value, Body = body };
    }

    /// <inheritdoc />
    protected override Stmt RewriteIf(Conditional branch)
    {
        var condition = Rewrite(branch.Condition);
        var then = RewriteIn(Scope.AssumeTrue(condition), branch.Then);
        var otherwise = branch.Else is null ? null : RewriteIn(Scope.AssumeFalse(condition), branch.Else);
        return ReferenceEquals(condition, branch.Condition) && ReferenceEquals(then, branch.Then) && ReferenceEquals(otherwise, branch.Else)
            ? branch
            : new Conditional(condition, then, otherwise);
    }
}
