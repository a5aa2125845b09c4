using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The CPE file of a kernel: a printer of the optimized loop IR as athread C. It holds a CPE function
/// for the kernel and one for each of its layout steps (<see cref="StepKernel"/>), printed alike. The
/// function every CPE runs takes the parameter struct, allocates the LDM buffers in declaration order (where the LDM
/// plan placed them: first fit, 32-byte aligned; the mesh GEMM's workspace is one of them), declares a reply word
/// and an issue counter per DMA group and its loop variables, and then prints the loop nest statement by statement: loops
/// and lets as C blocks named after the IR's variables (a let nothing reads is left out), DMA through the library's element-sized
/// helpers, a wait for every transfer issued since the reply word's reset, double buffers as a
/// current and a next pointer that a swap exchanges. The text is C89 as sw5cc's CPE compiler takes it
/// (gnu89): every declaration opens its block, so the loop variables are declared with the function's.
/// </summary>
internal sealed class CpeFilePrinter : IStmtVisitor
{
    private readonly LoopKernel _kernel;
    private readonly (int M, int N, int K)? _tiles;
    private readonly string _type;
    private readonly CSourceBuilder _c;
    private readonly Dictionary<Let, bool> _printed = new(ReferenceEqualityComparer.Instance);
    private string _workspace = "0";

    private CpeFilePrinter(LoopKernel kernel, (int M, int N, int K)? tiles, CSourceBuilder c)
    {
        _kernel = kernel;
        _tiles = tiles;
        _type = CNames.ElementType(kernel.ElementType);
        _c = c;
    }

    /// <summary>The CPE file's text, after <paramref name="comment"/>: the kernel's function, then each of <paramref name="steps"/>'.</summary>
    public static string Print(LoweredKernel lowered, IReadOnlyList<StepKernel> steps, string comment)
    {
        // The tiles bound a mesh GEMM call whose size varies (a border tile); only GEMM schedules (and explicit im2col's, a GEMM's) have them.
        var tiles = TilesOf(lowered);
        var c = File(comment);
        Function(c, lowered.Kernel, tiles);
        foreach (var step in steps)
        {
            Function(c, step.Kernel, tiles: null, $"/* {step.Description} */");
        }

        if (PreparedEntry.For(lowered)?.Form is { } form)
        {
            Function(c, form.Transform, tiles, $"/* the prepared form's transform: '{form.Constant}' into {form.Tensor}, once, by the prepare function */");
            Function(c, form.Run, tiles, $"/* the kernel a prepared call runs: {form.Tensor} read as the prepare function left it */");
        }

        return c.ToString();
    }

    /// <summary>
    /// The CPE file of a kernel given as loop IR alone, after <paramref name="comment"/>; its mesh GEMM
    /// calls whose sizes vary are bounded by <paramref name="tiles"/> (with none, every call's sizes must be constants).
    /// </summary>
    public static string Print(LoopKernel kernel, (int M, int N, int K)? tiles, string comment)
    {
        var c = File(comment);
        Function(c, kernel, tiles);
        return c.ToString();
    }

    /// <summary>
    /// A CPE file of several loop kernels (a network's), after <paramref name="comment"/>, including <paramref name="header"/>
    /// for their parameter structs: each function after its own comment, its mesh GEMM calls bounded by its tiles.
    /// </summary>
    public static string Print(IEnumerable<(LoopKernel Kernel, (int M, int N, int K)? Tiles, string Comment)> functions, string header, string comment)
    {
        var c = File(comment, header);
        foreach (var (kernel, tiles, note) in functions)
        {
            Function(c, kernel, tiles, note);
        }

        return c.ToString();
    }

    /// <summary>The mesh GEMM tiles of <paramref name="lowered"/>'s schedule that bound its border calls: only GEMM schedules have them.</summary>
    public static (int M, int N, int K)? TilesOf(LoweredKernel lowered) => lowered.Schedule switch
    {
        Core.Algorithms.ImplicitGemm.ImplicitGemmSchedule gemm => (gemm.TileM, gemm.TileN, gemm.TileK),
        Core.Algorithms.Im2col.Im2colSchedule im2col => (im2col.Gemm.TileM, im2col.Gemm.TileN, im2col.Gemm.TileK),
        _ => null,
    };

    /// <summary>The file's comment and includes.</summary>
    private static CSourceBuilder File(string comment, string header = KernelFiles.Header)
    {
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line($"#include \"{KernelFiles.Primitives}\"");
        c.Line($"#include \"{header}\"");
        return c;
    }

    /// <summary>Appends the CPE function of <paramref name="kernel"/> to <paramref name="c"/>, after an empty line and <paramref name="comment"/>.</summary>
    private static void Function(CSourceBuilder c, LoopKernel kernel, (int M, int N, int K)? tiles, string? comment = null)
    {
        var printer = new CpeFilePrinter(kernel, tiles, c);
        printer.CheckWorkspace();
        c.Line();
        if (comment is not null)
        {
            c.Line(comment);
        }

        c.Open($"void {CNames.CpeFunction(kernel)}(void *arg)");
        printer.Prologue();
        c.Line();
        printer.Statement(kernel.Body);
        c.Line();
        printer.Epilogue();
        c.Close();
    }

    private void Prologue()
    {
        var c = _c;
        c.Line($"const {CNames.ParamsType(_kernel)} *const p = arg;");
        c.Line("const long row = _ROW, col = _COL, cg = p->cg;");
        foreach (var tensor in _kernel.Tensors)
        {
            c.Line($"{_type} *const {tensor.Name} = p->{tensor.Name};");
        }

        c.Line();
        c.Line("/* LDM buffers, allocated in the order the LDM plan placed them */");
        foreach (var buffer in _kernel.Buffers)
        {
            var placed = buffer.IsPlaced ? string.Create(CultureInfo.InvariantCulture, $" at byte {buffer.Offset}") : "";
            if (buffer.Copies == 2)
            {
                c.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{_type} *const {buffer.Name}_halves = ldm_malloc(2 * {buffer.Elements} * sizeof({_type})); /* double-buffered{placed} */"));
                c.Line(string.Create(CultureInfo.InvariantCulture, $"{_type} *{buffer.Name} = {buffer.Name}_halves, *{buffer.Name}_next = {buffer.Name}_halves + {buffer.Elements};"));
            }
            else
            {
                c.Line(string.Create(CultureInfo.InvariantCulture, $"{_type} *const {buffer.Name} = ldm_malloc({buffer.Elements} * sizeof({_type})); /*{placed} */"));
            }
        }

        c.Line();
        c.Line("/* reply words (the DMA engine counts completions into them) and the transfers issued against each */");
        foreach (var reply in _kernel.Replies)
        {
            c.Line($"volatile int {reply} = 0;");
            c.Line($"int {reply}_issued = 0;");
        }

        var loops = new LoopVariableFinder();
        loops.Visit(_kernel.Body);
        if (loops.Names.Count > 0)
        {
            c.Line($"long {string.Join(", ", loops.Names)}; /* loop variables */");
        }

        var named = new ReplyFinder();
        named.Visit(_kernel.Body);
        var unused = new List<string> { "row", "col", "cg" };
        unused.AddRange(_kernel.Tensors.Select(t => t.Name));
        unused.AddRange(_kernel.Replies.Select(r => $"{r}_issued"));
        unused.AddRange(_kernel.Replies.Where(r => !named.Replies.Contains(r))); // a word the lowering declared but no transfer of this shape uses
        unused.AddRange(_kernel.Buffers.Where(b => b.Name == KernelLowering.BufferWork).Select(b => b.Name));
        unused.AddRange(_kernel.Buffers.Where(b => b.Copies == 2).Select(b => $"{b.Name}_next")); // a kernel may swap a double buffer without naming its next half
        c.Line(string.Join(' ', unused.Select(name => $"(void){name};")));
    }

    private void Epilogue()
    {
        var c = _c;
        foreach (var buffer in _kernel.Buffers.Reverse())
        {
            c.Line(buffer.Copies == 2
                ? string.Create(CultureInfo.InvariantCulture, $"ldm_free({buffer.Name}_halves, 2 * {buffer.Elements} * sizeof({_type}));")
                : string.Create(CultureInfo.InvariantCulture, $"ldm_free({buffer.Name}, {buffer.Elements} * sizeof({_type}));"));
        }
    }

    /// <summary>
    /// The largest per-CPE blocks (M/8, N/8, K/8) over the kernel's mesh GEMM calls: a constant shape
    /// counts as it is, a border call whose extent varies as the schedule's tile, which bounds it.
    /// </summary>
    /// <remarks>The LDM plan sizes the workspace for the tile; <see cref="CheckWorkspace"/> holds the calls to it.</remarks>
    private (long Mb, long Nb, long Kb) MeshGemmBlocks()
    {
        var finder = new MeshGemmFinder();
        finder.Visit(_kernel.Body);
        long mb = 0, nb = 0, kb = 0;
        foreach (var gemm in finder.Calls)
        {
            mb = Math.Max(mb, (gemm.M.AsConstant ?? Tile(gemm, t => t.M)) / 8);
            nb = Math.Max(nb, (gemm.N.AsConstant ?? Tile(gemm, t => t.N)) / 8);
            kb = Math.Max(kb, (gemm.K.AsConstant ?? Tile(gemm, t => t.K)) / 8);
        }

        return (mb, nb, kb);
    }

    private int Tile(MeshGemm gemm, Func<(int M, int N, int K), int> extent) => _tiles is { } tiles ? extent(tiles)
        : throw new ArgumentException($"Kernel '{_kernel.Name}', at `{IrPrinter.Print(gemm).TrimEnd()}`: a mesh GEMM size varies and no tile bounds it.", nameof(gemm));

    /// <summary>
    /// Finds the mesh GEMM's workspace among the LDM buffers (<see cref="KernelLowering.BufferWork"/>) and
    /// checks that it holds what the largest call streams through it (<see cref="MeshGemmWorkspace"/>),
    /// so the emitted primitive needs no LDM beyond the plan.
    /// </summary>
    private void CheckWorkspace()
    {
        var (mb, nb, kb) = MeshGemmBlocks();
        var needed = MeshGemmWorkspace.Elements(mb, nb, kb, _kernel.ElementType);
        if (needed == 0)
        {
            return;
        }

        var buffer = _kernel.Buffers.FirstOrDefault(b => b.Name == KernelLowering.BufferWork);
        if (buffer is null || buffer.Elements * buffer.Copies < needed)
        {
            throw new EmitException(EmitDiagnostics.WorkspaceTooSmall, string.Create(CultureInfo.InvariantCulture,
                $"Kernel '{_kernel.Name}': its mesh GEMM calls (up to M/8 = {mb}, N/8 = {nb}, K/8 = {kb} a CPE) stream through a workspace of {needed} elements, but the LDM plan holds " +
                $"{(buffer is null ? $"no buffer '{KernelLowering.BufferWork}'" : $"'{buffer.Name}' with {buffer.Elements * buffer.Copies} elements")}; the plan must reserve the workspace."));
        }

        _workspace = _kernel.ElementType == ElementType.Float32 ? $"(double *){buffer.Name}" : buffer.Name;
    }

    private void Statement(Stmt statement) => statement.Accept(this);

    void IStmtVisitor.Visit(Block block)
    {
        foreach (var inner in block.Statements)
        {
            Statement(inner);
        }
    }

    void IStmtVisitor.Visit(ForLoop forLoop)
    {
        _c.Open($"for ({forLoop.Var} = 0; {forLoop.Var} < {CExpressionPrinter.Print(forLoop.Extent)}; {forLoop.Var}++)");
        Statement(forLoop.Body);
        _c.Close();
    }

    void IStmtVisitor.Visit(Let let)
    {
        if (!IsPrinted(let))
        {
            // A value is pure: a let its body never reads (a layout step's extent along a dimension it does not tile) is left out, not declared unused.
            Statement(let.Body);
            return;
        }

        _c.Open("");
        _c.Line($"const long {let.Var} = {CExpressionPrinter.Print(let.Value)};");
        Statement(let.Body);
        _c.Close();
    }

    /// <summary>
    /// Whether the printed <paramref name="statement"/> reads <paramref name="name"/>: as a free variable, except through a
    /// let that is left out because nothing reads its own variable (a let read only by such a let is left out too).
    /// </summary>
    private bool IsRead(Stmt statement, string name) => statement switch
    {
        Let inner when inner.Var == name => IsPrinted(inner) && StatementFacts.Mentions(inner.Value, name),
        Let inner => (IsPrinted(inner) && StatementFacts.Mentions(inner.Value, name)) || IsRead(inner.Body, name),
        Block block => block.Statements.Any(s => IsRead(s, name)),
        ForLoop loop => StatementFacts.Mentions(loop.Extent, name) || (loop.Var != name && IsRead(loop.Body, name)),
        Conditional branch => StatementFacts.Mentions(branch.Condition, name) || IsRead(branch.Then, name) || (branch.Else is { } otherwise && IsRead(otherwise, name)),
        _ => StatementFacts.FreeVariables(statement).Contains(name),
    };

    /// <summary>Whether <paramref name="let"/> is printed: whether its body reads its variable; computed once a let.</summary>
    private bool IsPrinted(Let let)
    {
        if (!_printed.TryGetValue(let, out var printed))
        {
            printed = IsRead(let.Body, let.Var);
            _printed[let] = printed;
        }

        return printed;
    }

    void IStmtVisitor.Visit(Conditional branch)
    {
        _c.Open($"if ({CExpressionPrinter.Print(branch.Condition)})");
        Statement(branch.Then);
        if (branch.Else is { } otherwise)
        {
            _c.Continue("else");
            Statement(otherwise);
        }

        _c.Close();
    }

    void IStmtVisitor.Visit(Fill fill) =>
        _c.Line(FillPrimitive.Call(_kernel.ElementType, Reference(fill.Target), CExpressionPrinter.Print(fill.Target.Count), Literal(fill, fill.Value, "fill")));

    void IStmtVisitor.Visit(Elementwise elementwise)
    {
        var type = _kernel.ElementType;
        var rows = CExpressionPrinter.Print(elementwise.Rows);
        var operands = elementwise.Operands.Select(o => ElementwisePrimitive.Operand(type, o.Kind, o.Source is null ? "" : Reference(o.Source), rows,
            o.Kind == ElementwiseOperandKind.Scalar ? Literal(elementwise, o.Value, "operand") : ""));
        _c.Line(ElementwisePrimitive.Call(type, elementwise.Op, Reference(elementwise.Target), CExpressionPrinter.Print(elementwise.Target.Count), rows, operands));
    }

    void IStmtVisitor.Visit(Exponential exponential) =>
        _c.Line(ExpPrimitive.Call(_kernel.ElementType, Reference(exponential.Target), CExpressionPrinter.Print(exponential.Target.Count)));

    void IStmtVisitor.Visit(Transpose transpose) =>
        _c.Line(TransposePrimitive.Call(_kernel.ElementType, Reference(transpose.Source), Reference(transpose.Target),
            CExpressionPrinter.Print(transpose.Rows), CExpressionPrinter.Print(transpose.Columns)));

    void IStmtVisitor.Visit(MultiplyAccumulate multiplyAccumulate) =>
        _c.Line(MultiplyAccumulatePrimitive.Call(_kernel.ElementType, Reference(multiplyAccumulate.Target), Reference(multiplyAccumulate.Weights), Reference(multiplyAccumulate.Source),
            CExpressionPrinter.Print(multiplyAccumulate.Target.Count), CExpressionPrinter.Print(multiplyAccumulate.Weights.Count),
            CExpressionPrinter.Print(multiplyAccumulate.Stride), CExpressionPrinter.Print(multiplyAccumulate.Dilation)));

    void IStmtVisitor.Visit(ResetReply reset)
    {
        _c.Line($"{reset.Reply} = 0;");
        _c.Line($"{reset.Reply}_issued = 0;");
    }

    void IStmtVisitor.Visit(DmaGet dmaGet) =>
        Transfer(isGet: true, dmaGet.Target, dmaGet.Tensor, dmaGet.Offset, dmaGet.BlockElements, dmaGet.GapElements, dmaGet.Reply);

    void IStmtVisitor.Visit(DmaPut dmaPut) =>
        Transfer(isGet: false, dmaPut.Source, dmaPut.Tensor, dmaPut.Offset, dmaPut.BlockElements, dmaPut.GapElements, dmaPut.Reply);

    void IStmtVisitor.Visit(DmaWait wait) => _c.Line(DmaPrimitive.WaitCall(wait.Reply, $"{wait.Reply}_issued"));

    void IStmtVisitor.Visit(MeshGemm gemm) =>
        _c.Line(MeshGemmPrimitive.Call(_kernel.ElementType, CExpressionPrinter.Print(gemm.M), CExpressionPrinter.Print(gemm.N), CExpressionPrinter.Print(gemm.K),
            Reference(gemm.A), Reference(gemm.B), Reference(gemm.C), _workspace));

    void IStmtVisitor.Visit(Swap swap) =>
        _c.Line($"{{ {_type} *const swatop_turn = {swap.Buffer}; {swap.Buffer} = {swap.Buffer}_next; {swap.Buffer}_next = swatop_turn; }}");

    void IStmtVisitor.Visit(TileDma tile) => throw new EmitException(EmitDiagnostics.TileDmaNotLowered,
        $"Kernel '{_kernel.Name}', at `{IrPrinter.Print(tile).TrimEnd()}`: the kernel still holds a tile transfer; run the boundary pass first, which lowers it to gets, puts and fills.");

    private static string Reference(LdmRef reference)
    {
        var pointer = reference.Half == BufferHalf.Next ? $"{reference.Buffer}_next" : reference.Buffer;
        return reference.Offset.IsConstant(0) ? pointer : $"{pointer} + {CExpressionPrinter.Operand(reference.Offset)}";
    }

    /// <summary>A DMA transfer and the count of its reply word's issues.</summary>
    private void Transfer(bool isGet, LdmRef ldm, string tensor, Expr offset, Expr block, Expr gap, string reply)
    {
        _c.Line(DmaPrimitive.TransferCall(isGet, _kernel.ElementType, $"{tensor} + {CExpressionPrinter.Operand(offset)}", Reference(ldm), CExpressionPrinter.Print(ldm.Count),
            CExpressionPrinter.Print(block), CExpressionPrinter.Print(gap), reply));
        _c.Line($"{reply}_issued++;");
    }

    /// <summary>The C literal of a <paramref name="what"/> value of <paramref name="statement"/>; SWC0003 for NaN and the infinities.</summary>
    private string Literal(Stmt statement, double value, string what) => CExpressionPrinter.Literal(value)
        ?? throw new EmitException(EmitDiagnostics.UnprintableValue,
            $"Kernel '{_kernel.Name}', at `{IrPrinter.Print(statement).TrimEnd()}`: the {what} value {value.ToString(CultureInfo.InvariantCulture)} has no C literal; use a finite value.");

    private sealed class MeshGemmFinder : IrVisitor
    {
        public List<MeshGemm> Calls { get; } = [];

        public override void Visit(MeshGemm gemm) => Calls.Add(gemm);
    }

    /// <summary>The kernel's loop variables, each once, in the order the loops first appear.</summary>
    /// <summary>The reply words a kernel's body names.</summary>
    private sealed class ReplyFinder : IrVisitor
    {
        public HashSet<string> Replies { get; } = new(StringComparer.Ordinal);

        public override void Visit(ResetReply reset) => Replies.Add(reset.Reply);

        public override void Visit(DmaGet get) => Replies.Add(get.Reply);

        public override void Visit(DmaPut put) => Replies.Add(put.Reply);

        public override void Visit(TileDma tile) => Replies.Add(tile.Reply);

        public override void Visit(DmaWait wait) => Replies.Add(wait.Reply);
    }

    private sealed class LoopVariableFinder : IrVisitor
    {
        public List<string> Names { get; } = [];

        public override void Visit(ForLoop forLoop)
        {
            if (!Names.Contains(forLoop.Var, StringComparer.Ordinal))
            {
                Names.Add(forLoop.Var);
            }

            base.Visit(forLoop);
        }
    }
}
