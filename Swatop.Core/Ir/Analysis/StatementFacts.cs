namespace Swatop.Core.Ir;

/// <summary>What a statement reads and writes: its free variables, its leaves, the buffers it writes and the tensors it puts to.</summary>
internal static class StatementFacts
{
    /// <summary>The variables <paramref name="statement"/> uses that it does not bind itself.</summary>
    public static HashSet<string> FreeVariables(Stmt statement)
    {
        var free = new HashSet<string>(StringComparer.Ordinal);
        new FreeVariableCollector(free).Visit(statement);
        return free;
    }

    /// <summary>The variables <paramref name="expression"/> uses, added to <paramref name="names"/>.</summary>
    public static void AddVariables(Expr expression, HashSet<string> names) => new FreeVariableCollector(names).Visit(expression);

    /// <summary>Whether <paramref name="expression"/> uses <paramref name="name"/>.</summary>
    public static bool Mentions(Expr expression, string name)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        AddVariables(expression, names);
        return names.Contains(name);
    }

    /// <summary>The buffers <paramref name="statement"/> writes: fills, element-wise operations, transposes' and multiply-accumulates' targets, gets (plain or tile) and GEMM accumulators.</summary>
    public static HashSet<string> BuffersWritten(Stmt statement) =>
        Leaves(statement).Select(leaf => Access(leaf).WrittenBuffer).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>The tensors <paramref name="statement"/> puts to (plain or tile).</summary>
    public static HashSet<string> TensorsWritten(Stmt statement) =>
        Leaves(statement).Select(leaf => Access(leaf).TensorWritten).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>The buffer a leaf statement writes, if any.</summary>
    public static string? WrittenBuffer(Stmt leaf) => Access(leaf).WrittenBuffer;

    /// <summary>The buffer a leaf statement puts from (plain or tile), if any.</summary>
    public static string? DrainedBuffer(Stmt leaf) => Access(leaf).DrainedBuffer;

    /// <summary>What a leaf statement reads and writes; <see cref="LeafAccess.None"/> for a block, loop, let or conditional itself.</summary>
    public static LeafAccess Access(Stmt leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return leaf.Accept(AccessOfLeaf.Instance);
    }

    /// <summary>Every statement that is not a block, loop, let or conditional, in program order.</summary>
    public static IReadOnlyList<Stmt> Leaves(Stmt statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var leaves = new List<Stmt>();
        statement.Accept(new LeafCollector(leaves));
        return leaves;
    }

    private sealed class AccessOfLeaf : IStmtVisitor<LeafAccess>
    {
        public static AccessOfLeaf Instance { get; } = new();

        public LeafAccess Visit(Block block) => LeafAccess.None;

        public LeafAccess Visit(ForLoop loop) => LeafAccess.None;

        public LeafAccess Visit(Conditional branch) => LeafAccess.None;

        public LeafAccess Visit(Let let) => LeafAccess.None;

        public LeafAccess Visit(Fill fill) => LeafAccess.Computes(fill.Target.Buffer);

        public LeafAccess Visit(Elementwise elementwise) => LeafAccess.Computes(elementwise.Target.Buffer);

        public LeafAccess Visit(Exponential exponential) => LeafAccess.Computes(exponential.Target.Buffer);

        public LeafAccess Visit(Transpose transpose) => LeafAccess.Computes(transpose.Target.Buffer);

        public LeafAccess Visit(MultiplyAccumulate multiplyAccumulate) => LeafAccess.Computes(multiplyAccumulate.Target.Buffer);

        public LeafAccess Visit(ResetReply reset) => LeafAccess.None;

        public LeafAccess Visit(DmaGet get) => LeafAccess.Gets(get.Target.Buffer, get.Tensor);

        public LeafAccess Visit(DmaPut put) => LeafAccess.Puts(put.Source.Buffer, put.Tensor);

        public LeafAccess Visit(TileDma tile) => tile.Direction == DmaDirection.Get
            ? LeafAccess.Gets(tile.Ldm.Buffer, tile.Tensor)
            : LeafAccess.Puts(tile.Ldm.Buffer, tile.Tensor);

        public LeafAccess Visit(DmaWait wait) => LeafAccess.None;

        public LeafAccess Visit(MeshGemm gemm) => LeafAccess.Computes(gemm.C.Buffer);

        public LeafAccess Visit(Swap swap) => LeafAccess.None;
    }

    private sealed class LeafCollector(List<Stmt> leaves) : IStmtVisitor
    {
        public void Visit(Block block)
        {
            foreach (var inner in block.Statements)
            {
                inner.Accept(this);
            }
        }

        public void Visit(ForLoop loop) => loop.Body.Accept(this);

        public void Visit(Conditional branch)
        {
            branch.Then.Accept(this);
            branch.Else?.Accept(this);
        }

        public void Visit(Let let) => let.Body.Accept(this);

        public void Visit(Fill fill) => leaves.Add(fill);

        public void Visit(Elementwise elementwise) => leaves.Add(elementwise);

        public void Visit(Exponential exponential) => leaves.Add(exponential);

        public void Visit(Transpose transpose) => leaves.Add(transpose);

        public void Visit(MultiplyAccumulate multiplyAccumulate) => leaves.Add(multiplyAccumulate);

        public void Visit(ResetReply reset) => leaves.Add(reset);

        public void Visit(DmaGet get) => leaves.Add(get);

        public void Visit(DmaPut put) => leaves.Add(put);

        public void Visit(TileDma tile) => leaves.Add(tile);

        public void Visit(DmaWait wait) => leaves.Add(wait);

        public void Visit(MeshGemm gemm) => leaves.Add(gemm);

        public void Visit(Swap swap) => leaves.Add(swap);
    }

    /// <summary>Collects the variables used and not bound by an enclosing loop or let of the visited tree.</summary>
    private sealed class FreeVariableCollector(HashSet<string> free) : IrVisitor
    {
        private readonly List<string> _bound = [];

        public override void Visit(ForLoop loop)
        {
            Visit(loop.Extent);
            Bound(loop.Var, loop.Body);
        }

        public override void Visit(Let let)
        {
            Visit(let.Value);
            Bound(let.Var, let.Body);
        }

        public override void Visit(Var variable)
        {
            if (!_bound.Contains(variable.Name))
            {
                free.Add(variable.Name);
            }
        }

        private void Bound(string name, Stmt body)
        {
            _bound.Add(name);
            Visit(body);
            _bound.RemoveAt(_bound.Count - 1);
        }
    }
}
