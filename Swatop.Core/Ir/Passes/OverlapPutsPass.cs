using System.Collections.Immutable;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// The <c>overlap-puts</c> pass: every double-buffered buffer that puts drain and no get fills (the
/// output tiles) gets two copies, and its put group stops waiting for its own puts, so that they
/// overlap what the next iteration does.
/// </summary>
/// <remarks>
/// <para>
/// A put group <c>reset r; puts on r from buf; wait r</c> becomes <c>wait r; reset r; puts on r from
/// buf; swap buf</c>: the puts of one iteration run while the next one computes into the other half of
/// buf, and the next group waits for them before it puts its own from that half. The top-level
/// statement of the kernel that holds the group is preceded by <c>reset r</c>, so the first wait has
/// nothing to wait for, and followed by <c>wait r</c>, so the last puts land before the kernel ends.
/// </para>
/// <para>
/// It runs before <c>double-buffer</c>, which then finds the buffer transformed (two copies). A
/// drained buffer must be read by one put group only, a group must drain drained buffers only, and
/// a get must not fill such a buffer; otherwise the pass fails with
/// <see cref="IrDiagnostics.DoubleBufferShape"/>. A buffer that already has two copies counts as
/// transformed, so a second run changes nothing.
/// </para>
/// </remarks>
public sealed class OverlapPutsPass : IKernelPass
{
    /// <inheritdoc />
    public string Name => "overlap-puts";

    /// <inheritdoc />
    public LoopKernel Run(LoopKernel kernel, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var filled = StatementFacts.Leaves(kernel.Body).Select(StatementFacts.Access).Where(a => a.IsTransfer)
            .Select(a => a.WrittenBuffer).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var drained = kernel.Buffers.Where(b => b.DoubleBuffer && b.Copies != 2 && !filled.Contains(b.Name)
            && StatementFacts.Leaves(kernel.Body).Any(l => StatementFacts.DrainedBuffer(l) == b.Name)).Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        if (drained.Count == 0)
        {
            return kernel;
        }

        var rewriter = new Rewriter(kernel.Name, drained);
        var body = Block.Of(rewriter.TopLevel(DmaGroup.StatementsOf(kernel.Body)));

        var buffers = kernel.Buffers.Select(b => drained.Contains(b.Name) ? b with { Copies = 2 } : b).ToImmutableArray();
        return kernel with { Buffers = buffers, Body = body };
    }

    private static IrException Fail(string kernel, string reason) =>
        new(IrDiagnostics.DoubleBufferShape, $"Overlapping the puts of kernel '{kernel}': {reason}.");

    private sealed class Rewriter(string kernelName, HashSet<string> drained) : IrRewriter
    {
        private readonly List<string> _replies = [];

        /// <summary>The drained buffers whose group was rewritten, to find a second group of one.</summary>
        private readonly HashSet<string> _drainedOnce = new(StringComparer.Ordinal);

        /// <summary>The kernel's statements, each with the reset before and the wait after it of each group it holds.</summary>
        public IEnumerable<Stmt> TopLevel(ImmutableArray<Stmt> statements)
        {
            foreach (var statement in Rewrite(statements))
            {
                var replies = _replies.ToList();
                _replies.Clear();
                foreach (var reply in replies)
                {
                    yield return new ResetReply(reply);
                }

                yield return statement;
                foreach (var reply in replies)
                {
                    yield return new DmaWait(reply);
                }
            }
        }

        protected override Stmt RewriteBlock(Block block) => Block.Of(Rewrite(block.Statements).ToList());

        /// <summary>The statements with their put groups overlapped, one statement for each group.</summary>
        private IEnumerable<Stmt> Rewrite(ImmutableArray<Stmt> statements)
        {
            for (var i = 0; i < statements.Length;)
            {
                if (DmaGroup.Match(statements, i, DmaDirection.Put) is { } group && group.Buffers.Any(drained.Contains))
                {
                    yield return Overlap(group);
                    i += group.Length;
                }
                else
                {
                    yield return Rewrite(statements[i]);
                    i++;
                }
            }
        }

        protected override Stmt RewritePut(DmaPut put) =>
            drained.Contains(put.Source.Buffer) ? throw Fail(kernelName, $"'{put.ToString().Trim()}' puts from '{put.Source.Buffer}' outside a put group") : put;

        protected override Stmt RewriteTile(TileDma tile) =>
            tile.Direction == DmaDirection.Put && drained.Contains(tile.Ldm.Buffer)
                ? throw Fail(kernelName, $"'{tile.ToString().Trim()}' puts from '{tile.Ldm.Buffer}' outside a put group")
                : tile;

        private Block Overlap(DmaGroup group)
        {
            if (group.Buffers.FirstOrDefault(b => !drained.Contains(b)) is { } single)
            {
                throw Fail(kernelName, $"the put group on reply '{group.Reply}' drains the double-buffered {string.Join(", ", group.Buffers.Where(drained.Contains).Select(b => $"'{b}'"))} and the single buffer '{single}'");
            }

            if (group.Buffers.FirstOrDefault(_drainedOnce.Contains) is { } twice)
            {
                throw Fail(kernelName, $"'{twice}' is drained by more than one put group");
            }

            _drainedOnce.UnionWith(group.Buffers);
            _replies.Add(group.Reply);
            return new Block([new DmaWait(group.Reply), .. group.Issues, .. group.Buffers.Select(b => new Swap(b))]);
        }
    }
}
