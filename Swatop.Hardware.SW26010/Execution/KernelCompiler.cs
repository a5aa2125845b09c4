using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Ir;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// Turns a kernel's body into executor steps: resolves every variable to a slot of the CPE's frame
/// (each loop and let gets a slot of its own, so shadowing needs no bookkeeping at run time), every
/// buffer, tensor and reply name to its declaration index, and checks what can be checked before a run.
/// </summary>
internal sealed class KernelCompiler
{
    private readonly LoopKernel _kernel;
    private readonly Dictionary<string, int> _buffers;
    private readonly Dictionary<string, int> _tensors;
    private readonly Dictionary<string, int> _replies;
    private int _slots = ExecutionFrame.BuiltInSlots;

    private KernelCompiler(LoopKernel kernel)
    {
        _kernel = kernel;
        _tensors = Index(kernel.Tensors.Select(t => t.Name), "tensor");
        _buffers = Index(kernel.Buffers.Select(b => b.Name), "LDM buffer");
        _replies = Index(kernel.Replies, "reply word");
    }

    /// <summary>The compiled body and the number of variable slots a frame needs.</summary>
    public static (Step Body, int Slots) Compile(LoopKernel kernel)
    {
        var compiler = new KernelCompiler(kernel);
        compiler.CheckBuffers();
        var scope = ImmutableDictionary<string, int>.Empty
            .Add(Var.Row.Name, ExecutionFrame.RowSlot)
            .Add(Var.Column.Name, ExecutionFrame.ColumnSlot)
            .Add(Var.Group.Name, ExecutionFrame.GroupSlot);
        var body = compiler.Statement(kernel.Body, scope);
        return (body, compiler._slots);
    }

    private Step Statement(Stmt statement, ImmutableDictionary<string, int> scope)
    {
        switch (statement)
        {
            case Block { Statements.Length: 0 } empty:
                return new EmptyStep(empty);
            case Block { Statements.Length: 1 } single:
                return Statement(single.Statements[0], scope);
            case Block block:
                return new BlockStep(block, [.. block.Statements.Select(s => Statement(s, scope))]);
            case ForLoop loop:
            {
                var extent = Expression(loop.Extent, scope, loop);
                var slot = Bind(loop.Var, loop);
                return new ForStep(loop, slot, extent, Statement(loop.Body, scope.SetItem(loop.Var, slot)));
            }

            case Let let:
            {
                var value = Expression(let.Value, scope, let);
                var slot = Bind(let.Var, let);
                return new LetStep(let, slot, value, Statement(let.Body, scope.SetItem(let.Var, slot)));
            }

            case Conditional branch:
                return new IfStep(branch, Expression(branch.Condition, scope, branch), Statement(branch.Then, scope),
                    branch.Else is { } otherwise ? Statement(otherwise, scope) : null);
            case Fill fill:
                return new FillStep(fill, Reference(fill.Target, scope, fill));
            case ResetReply reset:
                return new ResetReplyStep(reset, Reply(reset.Reply, reset));
            case DmaGet get:
                return new DmaStep(get, isGet: true, Reference(get.Target, scope, get), Tensor(get.Tensor, get), Expression(get.Offset, scope, get),
                    Expression(get.BlockElements, scope, get), Expression(get.GapElements, scope, get), Reply(get.Reply, get), _kernel.ElementBytes);
            case DmaPut put:
                return new DmaStep(put, isGet: false, Reference(put.Source, scope, put), Tensor(put.Tensor, put), Expression(put.Offset, scope, put),
                    Expression(put.BlockElements, scope, put), Expression(put.GapElements, scope, put), Reply(put.Reply, put), _kernel.ElementBytes);
            case DmaWait wait:
                return new DmaWaitStep(wait, Reply(wait.Reply, wait));
            case MeshGemm gemm:
                return new MeshGemmStep(gemm, Expression(gemm.M, scope, gemm), Expression(gemm.N, scope, gemm), Expression(gemm.K, scope, gemm),
                    Reference(gemm.A, scope, gemm), Reference(gemm.B, scope, gemm), Reference(gemm.C, scope, gemm));
            case Swap swap:
            {
                var buffer = Buffer(swap.Buffer, swap);
                if (_kernel.Buffers[buffer].Copies != 2)
                {
                    throw Error(ExecutionDiagnostics.SingleBufferHalf, swap,
                        $"LDM buffer '{swap.Buffer}' has one copy; only a double buffer (2 copies) has halves to swap.");
                }

                return new SwapStep(swap, buffer);
            }

            case TileDma tile:
                throw Error(ExecutionDiagnostics.TileDmaNotLowered, tile,
                    "the kernel still holds a tile transfer; run the boundary pass first, which lowers it to gets, puts and fills.");
            default:
                throw new NotSupportedException($"The executor does not know the IR statement {statement?.GetType().Name}.");
        }
    }

    private CompiledExpr Expression(Expr expression, ImmutableDictionary<string, int> scope, Stmt where) =>
        CompiledExpr.Compile(expression, variable => scope.TryGetValue(variable.Name, out var slot) ? slot
            : throw Error(ExecutionDiagnostics.UnboundVariable, where,
                $"variable '{variable.Name}' is bound by no enclosing loop or let and is not a built-in (row, col, cg)."));

    private CompiledLdmRef Reference(LdmRef reference, ImmutableDictionary<string, int> scope, Stmt where)
    {
        var buffer = Buffer(reference.Buffer, where);
        var declared = _kernel.Buffers[buffer];
        if (reference.Half == BufferHalf.Next && declared.Copies != 2)
        {
            throw Error(ExecutionDiagnostics.SingleBufferHalf, where,
                $"{reference} names the next half of LDM buffer '{reference.Buffer}', which has one copy; only a double buffer (2 copies) has a next half.");
        }

        return new CompiledLdmRef(reference, buffer, declared.Elements, Expression(reference.Offset, scope, where), Expression(reference.Count, scope, where));
    }

    private int Bind(string name, Stmt where)
    {
        if (name is "row" or "col" or "cg")
        {
            throw Error(ExecutionDiagnostics.InvalidDeclaration, where, $"'{name}' is a built-in (row, col, cg) and cannot be rebound by a loop or let.");
        }

        return _slots++;
    }

    private int Buffer(string name, Stmt where) => _buffers.TryGetValue(name, out var index) ? index
        : throw Error(ExecutionDiagnostics.UndeclaredBuffer, where, $"LDM buffer '{name}' is not declared; the kernel declares {List(_buffers.Keys)}.");

    private int Tensor(string name, Stmt where) => _tensors.TryGetValue(name, out var index) ? index
        : throw Error(ExecutionDiagnostics.UndeclaredTensor, where, $"tensor '{name}' is not declared; the kernel declares {List(_tensors.Keys)}.");

    private int Reply(string name, Stmt where) => _replies.TryGetValue(name, out var index) ? index
        : throw Error(ExecutionDiagnostics.UndeclaredReply, where, $"reply word '{name}' is not declared; the kernel declares {List(_replies.Keys)}.");

    private void CheckBuffers()
    {
        foreach (var buffer in _kernel.Buffers)
        {
            if (buffer.Copies is not (1 or 2) || buffer.Elements <= 0 || buffer.Elements * buffer.Copies > int.MaxValue)
            {
                throw Declaration(string.Create(CultureInfo.InvariantCulture,
                    $"LDM buffer '{buffer.Name}' has {buffer.Elements} elements and {buffer.Copies} copies; a buffer has 1 or 2 copies of a positive number of elements, at most {int.MaxValue} in all."));
            }
        }

        foreach (var tensor in _kernel.Tensors.Where(t => t.Elements < 0))
        {
            throw Declaration(string.Create(CultureInfo.InvariantCulture, $"tensor '{tensor.Name}' has {tensor.Elements} elements; a tensor's length is not negative."));
        }
    }

    private Dictionary<string, int> Index(IEnumerable<string> names, string kind)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!index.TryAdd(name, index.Count))
            {
                throw Declaration($"{kind} '{name}' is declared twice.");
            }
        }

        return index;
    }

    private static string List(IEnumerable<string> names)
    {
        var list = string.Join(", ", names.Select(n => $"'{n}'"));
        return list.Length == 0 ? "none" : list;
    }

    private ExecutionException Declaration(string problem) =>
        new(ExecutionDiagnostics.InvalidDeclaration, $"Kernel '{_kernel.Name}': {problem}");

    private ExecutionException Error(string id, Stmt where, string problem) =>
        new(id, $"Kernel '{_kernel.Name}', at `{IrPrinter.Print(where).Split('\n')[0]}`: {problem}");
}
