using System.Collections.Immutable;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// The <c>double-buffer</c> pass: every buffer whose schedule asks for double buffering gets two
/// copies, and every get group that fills it becomes a prefetch across loop boundaries, as swDNN does.
/// </summary>
/// <remarks>
/// <para>
/// Take a get group <c>reset r; gets on r into buf; wait r</c> at the start of the body of loop L_d
/// (or of a let inside it; fills of other buffers may come first), enclosed by loops L_1 .. L_d (outermost first, possibly with lets between
/// them). The pass
/// </para>
/// <list type="number">
/// <item>issues the group for the first iteration (every variable of L_1 .. L_d at 0, the lets between
/// them evaluated accordingly) into the current half in a prologue before L_1; the groups under the same
/// L_1 issue first, in program order, and then wait, in the same order;</item>
/// <item>replaces the group by the prefetch of the next iteration in loop order into the next half:
/// <c>if (v_d + 1 &lt; ext_d) { group[v_d := v_d + 1] } else { if (v_(d-1) + 1 &lt; ext_(d-1)) { group[v_(d-1) := v_(d-1) + 1, v_d := 0] } else { ... } }</c>,
/// an odometer whose extents and lets are re-evaluated for the next values;</item>
/// <item>ends L_d's body with <c>if (has_next) { wait r; swap buf }</c>, has_next being the Or of the chain's conditions.</item>
/// </list>
/// <para>
/// Each CPE's turn bit starts at 0, so the prologue fills the half the first iteration reads; every
/// iteration computes on the current half while the next half fills, and at its end waits for the
/// prefetch and swaps, so the next iteration (wherever the odometer takes it) reads the data it needs.
/// The last iteration prefetches nothing and skips its wait. Each chain loop must provably run at
/// least once, no conditional may separate the loops, a group must write double-buffered buffers only,
/// and nothing but such groups may write a double-buffered buffer inside a loop; otherwise the pass
/// fails with <see cref="IrDiagnostics.DoubleBufferShape"/>. A group outside every loop (hoisting took
/// it out of all of them) runs once and stays as it is. A buffer that already has two copies counts as
/// transformed, so a second run changes nothing. Groups sharing L_d share one final wait
/// conditional; transformed groups are assumed to use distinct reply words.
/// </para>
/// </remarks>
public sealed class DoubleBufferPass : IKernelPass
{
    /// <inheritdoc />
    public string Name => "double-buffer";

    /// <inheritdoc />
    public LoopKernel Run(LoopKernel kernel, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var doubles = kernel.Buffers.Where(b => b.DoubleBuffer && b.Copies != 2).Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        if (doubles.Count == 0)
        {
            return kernel;
        }

        var transformer = new Transformer(kernel.Name, doubles, context.KernelScope);
        var body = transformer.Walk(kernel.Body, context.KernelScope);
        var copiesChange = kernel.Buffers.Any(b => b.DoubleBuffer && b.Copies != 2);
        if (transformer.GroupCount == 0 && !copiesChange)
        {
            return kernel;
        }

        var buffers = kernel.Buffers.Select(b => b.DoubleBuffer && b.Copies != 2 ? b with { Copies = 2 } : b).ToImmutableArray();
        return kernel with { Buffers = buffers, Body = transformer.GroupCount == 0 ? kernel.Body : body };
    }

    private sealed class Transformer(string kernelName, HashSet<string> doubles, RangeScope kernelScope) : IStmtVisitor<Stmt>
    {
        private readonly List<(Stmt Node, bool RunsOnce)> _chain = [];
        private RangeScope _scope = kernelScope;
        private readonly List<Stmt> _prologueIssues = [];
        private readonly List<Stmt> _prologueWaits = [];
        private int _conditionalDepth;

        /// <summary>How many get groups became prefetches.</summary>
        public int GroupCount { get; private set; }

        /// <summary>Walks <paramref name="statement"/> where <paramref name="scope"/> holds.</summary>
        public Stmt Walk(Stmt statement, RangeScope scope)
        {
            var outer = _scope;
            _scope = scope;
            var walked = statement.Accept(this);
            _scope = outer;
            return walked;
        }

        public Stmt Visit(Block block) => _chain.Count == 0 && _conditionalDepth == 0
            ? Block.Of(WalkOutside(block.Statements, _scope))
            : Block.Of(block.Statements.Select(s => Walk(s, _scope)));

        public Stmt Visit(ForLoop loop)
        {
            if (_chain.Count > 0 || _conditionalDepth > 0)
            {
                return WalkLoop(loop, _scope);
            }

            var transformed = WalkLoop(loop, _scope);
            var prologue = _prologueIssues.Concat(_prologueWaits).ToList();
            _prologueIssues.Clear();
            _prologueWaits.Clear();
            return prologue.Count == 0 ? transformed : Block.Of([.. prologue, transformed]);
        }

        public Stmt Visit(Let let)
        {
            if (_chain.Count == 0)
            {
                return let with { Body = Walk(let.Body, _scope.BindLet(let.Var, let.Value)) };
            }

            _chain.Add((let, true));
            var body = WalkBody(let.Body, _scope.BindLet(let.Var, let.Value));
            _chain.RemoveAt(_chain.Count - 1);
            return let with { Body = body };
        }

        public Stmt Visit(Conditional branch)
        {
            _conditionalDepth++;
            var then = Walk(branch.Then, _scope.AssumeTrue(branch.Condition));
            var otherwise = branch.Else is null ? null : Walk(branch.Else, _scope.AssumeFalse(branch.Condition));
            _conditionalDepth--;
            return new Conditional(branch.Condition, then, otherwise);
        }

        public Stmt Visit(Fill fill) => Leaf(fill);

        public Stmt Visit(Elementwise elementwise) => Leaf(elementwise);

        public Stmt Visit(Exponential exponential) => Leaf(exponential);

        public Stmt Visit(Transpose transpose) => Leaf(transpose);

        public Stmt Visit(MultiplyAccumulate multiplyAccumulate) => Leaf(multiplyAccumulate);

        public Stmt Visit(ResetReply reset) => Leaf(reset);

        public Stmt Visit(DmaGet get) => Leaf(get);

        public Stmt Visit(DmaPut put) => Leaf(put);

        public Stmt Visit(TileDma tile) => Leaf(tile);

        public Stmt Visit(DmaWait wait) => Leaf(wait);

        public Stmt Visit(MeshGemm gemm) => Leaf(gemm);

        public Stmt Visit(Swap swap) => Leaf(swap);

        /// <summary>
        /// A leaf stays as it is, unless it writes a double-buffered buffer where no prefetch can replace it:
        /// a computation anywhere, a transfer inside a loop (outside every loop a get group runs once and stays).
        /// </summary>
        private Stmt Leaf(Stmt statement)
        {
            var access = StatementFacts.Access(statement);
            if (access.WrittenBuffer is { } buffer && doubles.Contains(buffer) && (!access.IsTransfer || _chain.Count > 0))
            {
                throw Fail($"'{statement.ToString().Trim()}' writes the double-buffered buffer '{buffer}' but is not a get group at the start of a loop body");
            }

            return statement;
        }

        /// <summary>Statements outside every loop: a get group there runs once, so it has no next iteration to prefetch and stays as it is.</summary>
        private IEnumerable<Stmt> WalkOutside(ImmutableArray<Stmt> statements, RangeScope scope)
        {
            for (var i = 0; i < statements.Length;)
            {
                if (DmaGroup.Match(statements, i, DmaDirection.Get) is { } group)
                {
                    foreach (var statement in group.Statements)
                    {
                        yield return statement;
                    }

                    i += group.Length;
                }
                else
                {
                    yield return Walk(statements[i], scope);
                    i++;
                }
            }
        }

        private ForLoop WalkLoop(ForLoop loop, RangeScope scope)
        {
            _chain.Add((loop, Bounds.Of(loop.Extent, scope).Min >= 1));
            var body = WalkBody(loop.Body, scope.BindLoop(loop.Var, loop.Extent));
            _chain.RemoveAt(_chain.Count - 1);
            return loop with { Body = body };
        }

        /// <summary>The body of the innermost loop or let of the chain: its leading get groups become prefetches, and it ends waiting for them.</summary>
        private Stmt WalkBody(Stmt body, RangeScope inner)
        {
            var statements = DmaGroup.StatementsOf(body);
            var head = new List<Stmt>();
            var tail = new List<Stmt>();
            var start = 0;
            while (start < statements.Length)
            {
                if (statements[start] is Fill fill && !doubles.Contains(fill.Target.Buffer))
                {
                    // An output block cleared before the groups (a window band's fill) leaves them leading the body.
                    head.Add(fill);
                    start++;
                    continue;
                }

                if (DmaGroup.Match(statements, start, DmaDirection.Get) is not { } group)
                {
                    break;
                }

                start += group.Length;
                if (!group.Buffers.Any(doubles.Contains))
                {
                    head.AddRange(group.Statements);
                    continue;
                }

                head.Add(Prefetch(group));
                tail.Add(new DmaWait(group.Reply));
                tail.AddRange(group.Buffers.Select(b => new Swap(b)));
            }

            var rest = statements[start..].Select(s => Walk(s, inner)).ToList();
            return tail.Count == 0 ? Block.Of([.. head, .. rest]) : Block.Of([.. head, .. rest, new Conditional(HasNext(), Block.Of(tail))]);
        }

        /// <summary>Records the group's prologue and returns the chain that prefetches its next iteration.</summary>
        private Stmt Prefetch(DmaGroup group)
        {
            if (group.Buffers.FirstOrDefault(b => !doubles.Contains(b)) is { } single)
            {
                throw Fail($"the get group on reply '{group.Reply}' writes the double-buffered {string.Join(", ", group.Buffers.Where(doubles.Contains).Select(b => $"'{b}'"))} and the single buffer '{single}'");
            }

            if (_conditionalDepth > 0)
            {
                throw Fail($"the get group on reply '{group.Reply}' into '{group.Buffers[0]}' sits under a conditional, so its next iteration is not known");
            }

            if (_chain.FirstOrDefault(item => item.Node is ForLoop && !item.RunsOnce).Node is ForLoop empty)
            {
                throw Fail($"the loop over '{empty.Var}' (extent {empty.Extent}) around the get group on reply '{group.Reply}' does not provably run at least once");
            }

            GroupCount++;
            var issues = Block.Of(group.Issues);
            _prologueIssues.Add(Substitution.Apply(issues, Assignment(-1)));
            _prologueWaits.Add(new DmaWait(group.Reply));
            var next = new NextHalf(doubles).Rewrite(issues);
            Stmt? chain = null;
            foreach (var level in LoopLevels())
            {
                var loop = (ForLoop)_chain[level].Node;
                chain = new Conditional(Condition(loop), Substitution.Apply(next, Assignment(level)), chain);
            }

            return chain!;
        }

        /// <summary>The values of the chain's variables for the iteration after the one at <paramref name="level"/>, or for the very first one when it is -1.</summary>
        private Dictionary<string, Expr> Assignment(int level)
        {
            var map = new Dictionary<string, Expr>(StringComparer.Ordinal);
            for (var i = Math.Max(level, 0); i < _chain.Count; i++)
            {
                switch (_chain[i].Node)
                {
                    case ForLoop loop:
                        map[loop.Var] = i == level ? Binary.Make(BinaryOp.Add, new Var(loop.Var), Expr.One) : Expr.Zero;
                        break;
                    case Let let:
                        map[let.Var] = Substitution.Apply(let.Value, map);
                        break;
                }
            }

            return map;
        }

        /// <summary>The chain indices of the loops, outermost first.</summary>
        private IEnumerable<int> LoopLevels() => Enumerable.Range(0, _chain.Count).Where(i => _chain[i].Node is ForLoop);

        private Expr HasNext() => LoopLevels().Reverse()
            .Select(i => Condition((ForLoop)_chain[i].Node))
            .Aggregate((left, right) => Binary.Make(BinaryOp.Or, left, right));

        private static Expr Condition(ForLoop loop) =>
            Binary.Make(BinaryOp.Lt, Binary.Make(BinaryOp.Add, new Var(loop.Var), Expr.One), loop.Extent);

        private IrException Fail(string reason) =>
            new(IrDiagnostics.DoubleBufferShape, $"Double buffering of kernel '{kernelName}': {reason}.");
    }

    /// <summary>Points the gets into double-buffered buffers at their next half.</summary>
    private sealed class NextHalf(HashSet<string> doubles) : IrRewriter
    {
        public override LdmRef Rewrite(LdmRef reference) =>
            doubles.Contains(reference.Buffer) ? reference.InNextHalf : reference;
    }
}
