using System.Collections.Immutable;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// The <c>simplify</c> pass: every expression in canonical affine form (<see cref="ExprSimplifier"/>),
/// decided by interval analysis where it can be; loops of extent 0 removed, loops of extent 1
/// replaced by their body with the variable set to 0; conditionals with a provably constant condition
/// replaced by the arm that runs; lets of a constant or a single variable substituted; empty blocks,
/// loops, lets and conditionals dropped. Running it twice gives the same kernel as running it once.
/// </summary>
public sealed class SimplifyPass : IKernelPass
{
    /// <inheritdoc />
    public string Name => "simplify";

    /// <inheritdoc />
    public LoopKernel Run(LoopKernel kernel, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var body = new Simplifier(context.KernelScope).Rewrite(kernel.Body);
        return ReferenceEquals(body, kernel.Body) ? kernel : kernel with { Body = body };
    }

    private sealed class Simplifier(RangeScope scope) : ScopedRewriter(scope)
    {
        public override Expr Rewrite(Expr expression) =>
            ExprSimplifier.Simplify(expression, Scope) is var simplified && simplified == expression ? expression : simplified;

        protected override Stmt RewriteBlock(Block block)
        {
            var changed = false;
            var statements = ImmutableArray.CreateBuilder<Stmt>(block.Statements.Length);
            foreach (var statement in block.Statements)
            {
                var rewritten = Rewrite(statement);
                changed |= !ReferenceEquals(rewritten, statement) || rewritten is Block;
                statements.Add(rewritten);
            }

            return changed ? Block.Of(statements.Where(s => !IsEmpty(s))) : block;
        }

        protected override Stmt RewriteFor(ForLoop forLoop)
        {
            var extent = Rewrite(forLoop.Extent);
            var range = Bounds.Of(extent, Scope);
            if (range.Max <= 0)
            {
                return Block.Empty;
            }

            if (range.IsConstant && range.Min == 1)
            {
                return Rewrite(Substitution.Apply(forLoop.Body, forLoop.Var, Expr.Zero));
            }

            var body = RewriteIn(Scope.BindLoop(forLoop.Var, extent), forLoop.Body);
            if (IsEmpty(body))
            {
                return Block.Empty;
            }

            return ReferenceEquals(extent, forLoop.Extent) && ReferenceEquals(body, forLoop.Body) ? forLoop : forLoop with { Extent = extent, Body = body };
        }

        protected override Stmt RewriteIf(Conditional branch)
        {
            var condition = Rewrite(branch.Condition);
            var range = Bounds.Of(condition, Scope);
            if (range.IsNonZero)
            {
                return Rewrite(branch.Then);
            }

            if (range.IsZero)
            {
                return branch.Else is null ? Block.Empty : Rewrite(branch.Else);
            }

            var then = RewriteIn(Scope.AssumeTrue(condition), branch.Then);
            var otherwise = branch.Else is null ? null : RewriteIn(Scope.AssumeFalse(condition), branch.Else);
            if (otherwise is not null && IsEmpty(otherwise))
            {
                otherwise = null;
            }

            if (IsEmpty(then) && otherwise is null)
            {
                return Block.Empty;
            }

            return ReferenceEquals(condition, branch.Condition) && ReferenceEquals(then, branch.Then) && ReferenceEquals(otherwise, branch.Else)
                ? branch
                : new Conditional(condition, then, otherwise);
        }

        protected override Stmt RewriteLet(Let let)
        {
            var value = Rewrite(let.Value);
            if (value is IntLiteral or Var)
            {
                return Rewrite(Substitution.Apply(let.Body, let.Var, value));
            }

            var body = RewriteIn(Scope.BindLet(let.Var, value), let.Body);
            if (IsEmpty(body))
            {
                return Block.Empty;
            }

            return ReferenceEquals(value, let.Value) && ReferenceEquals(body, let.Body) ? let : let with { Value = value, Body = body };
        }

        private static bool IsEmpty(Stmt statement) => statement is Block { Statements.IsEmpty: true };
    }
}
