using System.Collections.Immutable;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// The <c>hoist-dma</c> pass: moves loop-invariant DMA get groups (<c>reset r; gets on r; wait r</c>)
/// out of the loops that would repeat them. A group at the very start of a loop body moves before the
/// loop when none of its expressions uses the loop variable, the loop provably runs at least once, and
/// nothing else in the loop writes a buffer the group fills (a fill, a get, a GEMM accumulator) or
/// puts to a tensor it reads; groups ahead of it that stay do not hold it back (groups fill different
/// buffers on different reply words). A group at the start of a let body that does not use the let's
/// variable moves before the let. The pass works from the innermost loop outwards, so a group climbs
/// as far as these rules allow. Puts are never moved.
/// </summary>
public sealed class HoistDmaPass : IKernelPass
{
    /// <inheritdoc />
    public string Name => "hoist-dma";

    /// <inheritdoc />
    public LoopKernel Run(LoopKernel kernel, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var body = new Hoister(context.KernelScope).Rewrite(kernel.Body);
        return ReferenceEquals(body, kernel.Body) ? kernel : kernel with { Body = body };
    }

    private sealed class Hoister(RangeScope scope) : ScopedRewriter(scope)
    {
        protected override Stmt RewriteFor(ForLoop forLoop)
        {
            var rewritten = (ForLoop)base.RewriteFor(forLoop);
            var runsOnce = Bounds.Of(rewritten.Extent, Scope).Min >= 1;
            var (hoisted, rest) = Split(rewritten.Body, rewritten.Var, (group, remainder) => runsOnce && !Conflicts(group, remainder));
            return hoisted.IsEmpty ? rewritten : Block.Of([.. hoisted, rewritten with { Body = rest }]);
        }

        protected override Stmt RewriteLet(Let let)
        {
            var rewritten = (Let)base.RewriteLet(let);
            var (hoisted, rest) = Split(rewritten.Body, rewritten.Var, (_, _) => true);
            return hoisted.IsEmpty ? rewritten : Block.Of([.. hoisted, rewritten with { Body = rest }]);
        }

        /// <summary>
        /// Takes the leading groups of <paramref name="body"/> that do not use <paramref name="name"/> and that
        /// <paramref name="allowed"/> accepts; a group that stays does not hold back the groups behind it, which
        /// fill other buffers on other reply words.
        /// </summary>
        private static (ImmutableArray<Stmt> Hoisted, Stmt Remaining) Split(Stmt body, string name, Func<DmaGroup, Stmt, bool> allowed)
        {
            var statements = DmaGroup.StatementsOf(body);
            var groups = new List<(DmaGroup Group, int Start)>();
            for (var start = 0; DmaGroup.Match(statements, start, DmaDirection.Get) is { } group; start += group.Length)
            {
                groups.Add((group, start));
            }

            var hoisted = ImmutableArray.CreateBuilder<Stmt>();
            var staying = new List<Stmt>();
            var rest = groups.Count == 0 ? 0 : groups[^1].Start + groups[^1].Group.Length;
            foreach (var (group, start) in groups)
            {
                var others = Block.Of([.. staying, .. groups.Where(g => g.Start > start).SelectMany(g => g.Group.Statements), .. statements[rest..]]);
                if (StatementFacts.FreeVariables(Block.Of(group.Statements)).Contains(name) || !allowed(group, others))
                {
                    staying.AddRange(group.Statements);
                }
                else
                {
                    hoisted.AddRange(group.Statements);
                }
            }

            return hoisted.Count == 0 ? ([], body) : (hoisted.ToImmutable(), Block.Of([.. staying, .. statements[rest..]]));
        }

        /// <summary>Whether the rest of the loop writes a buffer the group fills or puts to a tensor it reads.</summary>
        private static bool Conflicts(DmaGroup group, Stmt remainder)
        {
            var written = StatementFacts.BuffersWritten(remainder);
            if (group.Buffers.Any(written.Contains))
            {
                return true;
            }

            var tensorsWritten = StatementFacts.TensorsWritten(remainder);
            return group.Issues.SelectMany(StatementFacts.Leaves).Any(leaf => StatementFacts.Access(leaf).TensorRead is { } tensor && tensorsWritten.Contains(tensor));
        }
    }
}
