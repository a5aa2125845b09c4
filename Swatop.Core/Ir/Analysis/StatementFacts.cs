namespace Swatop.Core.Ir;

/// <summary>What a statement reads and writes: its free variables, the buffers it writes and the tensors it puts to.</summary>
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
    public static void AddVariables(Expr expression, HashSet<string> names)
    {
        switch (expression)
        {
            case Var variable:
                names.Add(variable.Name);
                break;
            case Binary binary:
                AddVariables(binary.Left, names);
                AddVariables(binary.Right, names);
                break;
        }
    }

    /// <summary>Whether <paramref name="expression"/> uses <paramref name="name"/>.</summary>
    public static bool Mentions(Expr expression, string name) => expression switch
    {
        Var variable => variable.Name == name,
        Binary binary => Mentions(binary.Left, name) || Mentions(binary.Right, name),
        _ => false,
    };

    /// <summary>The buffers <paramref name="statement"/> writes: fills, gets (plain or tile) and GEMM accumulators.</summary>
    public static HashSet<string> BuffersWritten(Stmt statement)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var leaf in Leaves(statement))
        {
            if (WrittenBuffer(leaf) is { } buffer)
            {
                written.Add(buffer);
            }
        }

        return written;
    }

    /// <summary>The tensors <paramref name="statement"/> puts to (plain or tile).</summary>
    public static HashSet<string> TensorsWritten(Stmt statement)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var leaf in Leaves(statement))
        {
            switch (leaf)
            {
                case DmaPut put:
                    written.Add(put.Tensor);
                    break;
                case TileDma { Direction: DmaDirection.Put } tile:
                    written.Add(tile.Tensor);
                    break;
            }
        }

        return written;
    }

    /// <summary>The buffer a leaf statement writes, if any.</summary>
    public static string? WrittenBuffer(Stmt leaf) => leaf switch
    {
        Fill fill => fill.Target.Buffer,
        DmaGet get => get.Target.Buffer,
        TileDma { Direction: DmaDirection.Get } tile => tile.Ldm.Buffer,
        MeshGemm gemm => gemm.C.Buffer,
        _ => null,
    };

    /// <summary>The buffer a leaf statement puts from (plain or tile), if any.</summary>
    public static string? DrainedBuffer(Stmt leaf) => leaf switch
    {
        DmaPut put => put.Source.Buffer,
        TileDma { Direction: DmaDirection.Put } tile => tile.Ldm.Buffer,
        _ => null,
    };

    /// <summary>Every statement that is not a block, loop, let or conditional, in program order.</summary>
    public static IEnumerable<Stmt> Leaves(Stmt statement)
    {
        var pending = new Stack<Stmt>();
        pending.Push(statement);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case Block block:
                    for (var i = block.Statements.Length - 1; i >= 0; i--)
                    {
                        pending.Push(block.Statements[i]);
                    }

                    break;
                case ForLoop loop:
                    pending.Push(loop.Body);
                    break;
                case Let let:
                    pending.Push(let.Body);
                    break;
                case Conditional branch:
                    if (branch.Else is { } otherwise)
                    {
                        pending.Push(otherwise);
                    }

                    pending.Push(branch.Then);
                    break;
                case var leaf:
                    yield return leaf;
                    break;
            }
        }
    }

    private sealed class FreeVariableCollector(HashSet<string> free) : IrVisitor
    {
        private readonly List<string> _bound = [];

        public override void Visit(Stmt statement)
        {
            switch (statement)
            {
                case ForLoop loop:
                    Visit(loop.Extent);
                    Bound(loop.Var, loop.Body);
                    break;
                case Let let:
                    Visit(let.Value);
                    Bound(let.Var, let.Body);
                    break;
                default:
                    base.Visit(statement);
                    break;
            }
        }

        public override void Visit(Expr expression)
        {
            if (expression is Var variable && !_bound.Contains(variable.Name))
            {
                free.Add(variable.Name);
            }

            base.Visit(expression);
        }

        private void Bound(string name, Stmt body)
        {
            _bound.Add(name);
            Visit(body);
            _bound.RemoveAt(_bound.Count - 1);
        }
    }
}
