using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// Turns a kernel's body into flat code: loops become a head and a tail instruction, conditionals
/// a branch and a jump; every variable is resolved to a slot of the CPE's frame (each loop and let
/// gets a slot of its own, so shadowing needs no bookkeeping at run time, and each loop one more for
/// its extent), every buffer, tensor and reply name to its declaration index; and whatever can be
/// checked before a run is checked here.
/// </summary>
internal sealed class KernelCompiler : IStmtVisitor
{
    private readonly LoopKernel _kernel;
    private readonly Dictionary<string, int> _buffers;
    private readonly Dictionary<string, int> _tensors;
    private readonly Dictionary<string, int> _replies;
    private readonly List<Instruction> _code = [];
    private readonly List<ComputeRegion> _regions = [];
    private bool _inRegion;
    private int _slots = ExecutionFrame.BuiltInSlots;
    private ImmutableDictionary<string, int> _scope = ImmutableDictionary<string, int>.Empty;

    private KernelCompiler(LoopKernel kernel)
    {
        _kernel = kernel;
        _tensors = Index(kernel.Tensors.Select(t => t.Name), "tensor");
        _buffers = Index(kernel.Buffers.Select(b => b.Name), "LDM buffer");
        _replies = Index(kernel.Replies, "reply word");
    }

    /// <summary>The kernel's body as flat code.</summary>
    public static CompiledCode Compile(LoopKernel kernel)
    {
        var compiler = new KernelCompiler(kernel);
        compiler.CheckBuffers();
        var scope = ImmutableDictionary<string, int>.Empty
            .Add(Var.Row.Name, ExecutionFrame.RowSlot)
            .Add(Var.Column.Name, ExecutionFrame.ColumnSlot)
            .Add(Var.Group.Name, ExecutionFrame.GroupSlot);
        compiler.Emit(kernel.Body, scope);
        return new CompiledCode([.. compiler._code], compiler._slots, compiler._regions.Count);
    }

    /// <summary>Compiles <paramref name="statement"/> where <paramref name="scope"/> maps the variables in force to their slots.</summary>
    private void Emit(Stmt statement, ImmutableDictionary<string, int> scope)
    {
        var outer = _scope;
        _scope = scope;
        statement.Accept(this);
        _scope = outer;
    }

    void IStmtVisitor.Visit(Block block)
    {
        foreach (var inner in block.Statements)
        {
            Emit(inner, _scope);
        }
    }

    void IStmtVisitor.Visit(ForLoop forLoop)
    {
        if (!_inRegion && ComputeRegion.Qualifies(forLoop))
        {
            // start; head; body; tail; end: the outermost loop that only computes in LDM, which a timing-only run may replay.
            var region = Region(forLoop);
            var start = Reserve();
            _inRegion = true;
            Loop(forLoop);
            _inRegion = false;
            _code[start] = new RegionStart(forLoop, region, _code.Count);
            _code.Add(new RegionEnd(forLoop, region));
            return;
        }

        Loop(forLoop);
    }

    /// <summary>The region <paramref name="loop"/> makes: the slots of the variables it reads from outside and the double buffers it names.</summary>
    private ComputeRegion Region(ForLoop loop)
    {
        var free = StatementFacts.FreeVariables(loop).Select(name => _scope.TryGetValue(name, out var slot) ? slot
            : throw Error(ExecutionDiagnostics.UnboundVariable, loop,
                $"variable '{name}' is bound by no enclosing loop or let and is not a built-in (row, col, cg).")).Order().ToArray();
        var turns = StatementFacts.Leaves(loop).SelectMany(References).Select(r => Buffer(r.Buffer, loop))
            .Where(b => _kernel.Buffers[b].Copies == 2).Distinct().Order().ToArray();
        var region = new ComputeRegion(_regions.Count, free, turns);
        _regions.Add(region);
        return region;
    }

    /// <summary>The LDM runs a computing statement names.</summary>
    private static IEnumerable<LdmRef> References(Stmt leaf) => leaf switch
    {
        Fill fill => [fill.Target],
        Elementwise elementwise => [elementwise.Target, .. elementwise.Operands.Select(o => o.Source).OfType<LdmRef>()],
        Exponential exponential => [exponential.Target],
        Transpose transpose => [transpose.Target, transpose.Source],
        MultiplyAccumulate multiplyAccumulate => [multiplyAccumulate.Target, multiplyAccumulate.Weights, multiplyAccumulate.Source],
        _ => [],
    };

    private void Loop(ForLoop forLoop)
    {
        // head; body; tail -> back to the body while the variable is below the extent.
        var extent = Expression(forLoop.Extent, forLoop);
        var slot = Bind(forLoop.Var, forLoop);
        var countSlot = _slots++;
        var head = Reserve();
        Emit(forLoop.Body, _scope.SetItem(forLoop.Var, slot));
        _code.Add(new LoopNext(forLoop, slot, countSlot, head + 1));
        _code[head] = new LoopStart(forLoop, slot, countSlot, extent, _code.Count);
    }

    void IStmtVisitor.Visit(Let let)
    {
        var value = Expression(let.Value, let);
        var slot = Bind(let.Var, let);
        _code.Add(new Bind(let, slot, value));
        Emit(let.Body, _scope.SetItem(let.Var, slot));
    }

    void IStmtVisitor.Visit(Conditional branch)
    {
        // branch-unless -> else; then; [jump -> end]; else.
        var condition = Expression(branch.Condition, branch);
        var test = Reserve();
        Emit(branch.Then, _scope);
        if (branch.Else is { } otherwise)
        {
            var jump = Reserve();
            _code[test] = new BranchUnless(branch, condition, _code.Count);
            Emit(otherwise, _scope);
            _code[jump] = new Jump(branch, _code.Count);
        }
        else
        {
            _code[test] = new BranchUnless(branch, condition, _code.Count);
        }
    }

    void IStmtVisitor.Visit(Fill fill) => _code.Add(new FillElements(fill, Reference(fill.Target, fill)));

    void IStmtVisitor.Visit(Elementwise elementwise)
    {
        var arity = ElementwiseRules.Arity(elementwise.Op);
        if (elementwise.Operands.Length != arity || elementwise.Operands.Any(o => (o.Source is null) != (o.Kind == ElementwiseOperandKind.Scalar)))
        {
            throw Error(ExecutionDiagnostics.InvalidOperands, elementwise,
                $"{ElementwiseRules.Name(elementwise.Op)} takes {arity} operand{(arity == 1 ? "" : "s")}, each an LDM reference or, as a scalar, a number.");
        }

        var operands = elementwise.Operands.Select(o => new CompiledOperand(o.Kind, o.Source is null ? null : Reference(o.Source, elementwise), o.Value)).ToArray();
        _code.Add(new ElementwiseElements(elementwise, Reference(elementwise.Target, elementwise), operands));
    }

    void IStmtVisitor.Visit(Exponential exponential) => _code.Add(new ExponentialElements(exponential, Reference(exponential.Target, exponential)));

    void IStmtVisitor.Visit(Transpose transpose)
    {
        if (transpose.Rows.AsConstant is { } rows && transpose.Columns.AsConstant is { } columns
            && transpose.Target.Count.AsConstant is { } targetCount && transpose.Source.Count.AsConstant is { } sourceCount
            && TransposeRules.Violation(rows, columns, targetCount, sourceCount) is { } violation)
        {
            throw Error(ExecutionDiagnostics.TransposeShape, transpose, $"the transpose's shape breaks its rules: {violation}");
        }

        _code.Add(new TransposeElements(transpose, Reference(transpose.Target, transpose), Reference(transpose.Source, transpose),
            Expression(transpose.Rows, transpose), Expression(transpose.Columns, transpose)));
    }

    void IStmtVisitor.Visit(MultiplyAccumulate multiplyAccumulate)
    {
        if (multiplyAccumulate.Target.Count.AsConstant is { } count && multiplyAccumulate.Weights.Count.AsConstant is { } taps
            && multiplyAccumulate.Source.Count.AsConstant is { } sourceCount && multiplyAccumulate.Stride.AsConstant is { } stride
            && multiplyAccumulate.Dilation.AsConstant is { } dilation
            && MultiplyAccumulateRules.Violation(count, taps, sourceCount, stride, dilation) is { } violation)
        {
            throw Error(ExecutionDiagnostics.MultiplyAccumulateShape, multiplyAccumulate, $"the multiply-accumulate's shape breaks its rules: {violation}");
        }

        _code.Add(new MultiplyAccumulateElements(multiplyAccumulate, Reference(multiplyAccumulate.Target, multiplyAccumulate), Reference(multiplyAccumulate.Weights, multiplyAccumulate),
            Reference(multiplyAccumulate.Source, multiplyAccumulate), Expression(multiplyAccumulate.Stride, multiplyAccumulate), Expression(multiplyAccumulate.Dilation, multiplyAccumulate)));
    }

    void IStmtVisitor.Visit(ResetReply reset) => _code.Add(new ResetReplyWord(reset, Reply(reset.Reply, reset)));

    void IStmtVisitor.Visit(DmaGet dmaGet) => _code.Add(new DmaTransfer(dmaGet, isGet: true, Reference(dmaGet.Target, dmaGet), Tensor(dmaGet.Tensor, dmaGet),
        Expression(dmaGet.Offset, dmaGet), Expression(dmaGet.BlockElements, dmaGet), Expression(dmaGet.GapElements, dmaGet), Reply(dmaGet.Reply, dmaGet), _kernel.ElementBytes));

    void IStmtVisitor.Visit(DmaPut dmaPut) => _code.Add(new DmaTransfer(dmaPut, isGet: false, Reference(dmaPut.Source, dmaPut), Tensor(dmaPut.Tensor, dmaPut),
        Expression(dmaPut.Offset, dmaPut), Expression(dmaPut.BlockElements, dmaPut), Expression(dmaPut.GapElements, dmaPut), Reply(dmaPut.Reply, dmaPut), _kernel.ElementBytes));

    void IStmtVisitor.Visit(DmaWait wait) => _code.Add(new WaitForReplies(wait, Reply(wait.Reply, wait)));

    void IStmtVisitor.Visit(MeshGemm gemm) => _code.Add(new MeshMultiply(gemm, Expression(gemm.M, gemm), Expression(gemm.N, gemm), Expression(gemm.K, gemm),
        Reference(gemm.A, gemm), Reference(gemm.B, gemm), Reference(gemm.C, gemm)));

    void IStmtVisitor.Visit(Swap swap)
    {
        var buffer = Buffer(swap.Buffer, swap);
        if (_kernel.Buffers[buffer].Copies != 2)
        {
            throw Error(ExecutionDiagnostics.SingleBufferHalf, swap,
                $"LDM buffer '{swap.Buffer}' has one copy; only a double buffer (2 copies) has halves to swap.");
        }

        _code.Add(new SwapHalves(swap, buffer));
    }

    void IStmtVisitor.Visit(TileDma tile) => throw Error(ExecutionDiagnostics.TileDmaNotLowered, tile,
        "the kernel still holds a tile transfer; run the boundary pass first, which lowers it to gets, puts and fills.");

    /// <summary>Keeps a place for an instruction whose jump target is known only later.</summary>
    private int Reserve()
    {
        _code.Add(null!);
        return _code.Count - 1;
    }

    private CompiledExpr Expression(Expr expression, Stmt where)
    {
        var scope = _scope;
        return CompiledExpr.Compile(expression, variable => scope.TryGetValue(variable.Name, out var slot) ? slot
            : throw Error(ExecutionDiagnostics.UnboundVariable, where,
                $"variable '{variable.Name}' is bound by no enclosing loop or let and is not a built-in (row, col, cg)."));
    }

    private CompiledLdmRef Reference(LdmRef reference, Stmt where)
    {
        var buffer = Buffer(reference.Buffer, where);
        var declared = _kernel.Buffers[buffer];
        if (reference.Half == BufferHalf.Next && declared.Copies != 2)
        {
            throw Error(ExecutionDiagnostics.SingleBufferHalf, where,
                $"{reference} names the next half of LDM buffer '{reference.Buffer}', which has one copy; only a double buffer (2 copies) has a next half.");
        }

        return new CompiledLdmRef(reference, buffer, declared.Elements, Expression(reference.Offset, where), Expression(reference.Count, where));
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
