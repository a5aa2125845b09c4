using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// The <c>verify</c> pass: checks a kernel without changing it. Every tensor, buffer and reply is
/// declared once; every variable is bound (loop, let or built-in) and no name is bound twice on a path;
/// <c>.next</c> and <c>swap</c> name only two-copy buffers; every LDM reference provably lies inside its
/// buffer; every DMA transfer with provable bounds stays inside its tensor (by interval analysis, and
/// where that is not enough by <see cref="LinearBounds"/> over all the facts together); constant mesh GEMM shapes
/// obey <see cref="MeshGemmRules"/>; element-wise operations take their operation's operands, constant
/// shapes obey <see cref="ElementwiseRules"/> and no LDM operand provably overlaps the target; constant
/// transpose shapes obey <see cref="TransposeRules"/> and no transpose's source provably overlaps its
/// target; and once <see cref="PassContext.TilesLowered"/> is set no tile transfer remains. The first
/// broken rule is an <see cref="IrException"/> with its id.
/// </summary>
public sealed class VerifyPass : IKernelPass
{
    /// <inheritdoc />
    public string Name => "verify";

    /// <inheritdoc />
    public LoopKernel Run(LoopKernel kernel, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var verifier = new Verifier(kernel, context);
        verifier.Statement(kernel.Body, context.KernelScope);
        return kernel;
    }

    private sealed class Verifier : IStmtVisitor
    {
        private readonly LoopKernel _kernel;
        private readonly PassContext _context;
        private readonly Dictionary<string, KernelTensor> _tensors = new(StringComparer.Ordinal);
        private readonly Dictionary<string, LdmBuffer> _buffers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _replies = new(StringComparer.Ordinal);
        private RangeScope _scope;

        public Verifier(LoopKernel kernel, PassContext context)
        {
            _kernel = kernel;
            _context = context;
            _scope = context.KernelScope;
            foreach (var tensor in kernel.Tensors)
            {
                Declare(_tensors.TryAdd(tensor.Name, tensor), "tensor", tensor.Name);
            }

            foreach (var buffer in kernel.Buffers)
            {
                Declare(_buffers.TryAdd(buffer.Name, buffer), "buffer", buffer.Name);
            }

            foreach (var reply in kernel.Replies)
            {
                Declare(_replies.Add(reply), "reply", reply);
            }
        }

        /// <summary>Checks <paramref name="statement"/> where <paramref name="scope"/> holds.</summary>
        public void Statement(Stmt statement, RangeScope scope)
        {
            var outer = _scope;
            _scope = scope;
            statement.Accept(this);
            _scope = outer;
        }

        public void Visit(Block block)
        {
            foreach (var inner in block.Statements)
            {
                Statement(inner, _scope);
            }
        }

        public void Visit(ForLoop loop)
        {
            Expression(loop.Extent, loop, _scope);
            Statement(loop.Body, Bind(loop.Var, loop, _scope).BindLoop(loop.Var, loop.Extent));
        }

        public void Visit(Let let)
        {
            Expression(let.Value, let, _scope);
            Statement(let.Body, Bind(let.Var, let, _scope).BindLet(let.Var, let.Value));
        }

        public void Visit(Conditional branch)
        {
            Expression(branch.Condition, branch, _scope);
            Statement(branch.Then, _scope.AssumeTrue(branch.Condition));
            if (branch.Else is { } otherwise)
            {
                Statement(otherwise, _scope.AssumeFalse(branch.Condition));
            }
        }

        public void Visit(Fill fill) => Reference(fill.Target, fill, _scope);

        public void Visit(Elementwise elementwise)
        {
            Reference(elementwise.Target, elementwise, _scope);
            foreach (var operand in elementwise.Operands)
            {
                if (operand.Source is { } source)
                {
                    Reference(source, elementwise, _scope);
                }
            }

            var arity = ElementwiseRules.Arity(elementwise.Op);
            if (elementwise.Operands.Length != arity || elementwise.Operands.Any(o => (o.Source is null) != (o.Kind == ElementwiseOperandKind.Scalar)))
            {
                throw Fail(IrDiagnostics.ElementwiseShape,
                    $"'{Text(elementwise)}' breaks the element-wise primitive's rules: {ElementwiseRules.Name(elementwise.Op)} takes {arity} operand{(arity == 1 ? "" : "s")}, each an LDM reference or, as a scalar, a number");
            }

            var count = Bounds.Of(elementwise.Target.Count, _scope);
            var lengths = elementwise.Operands.Select(o => o.Source is null ? Interval.Exactly(0) : Bounds.Of(o.Source.Count, _scope)).ToList();
            if (count.IsConstant && lengths.All(l => l.IsConstant))
            {
                var shapes = elementwise.Operands.Select((o, i) => (o.Kind, lengths[i].Min)).ToArray();
                if (ElementwiseRules.Violation(elementwise.Op, count.Min, shapes) is { } violation)
                {
                    throw Fail(IrDiagnostics.ElementwiseShape, $"'{Text(elementwise)}' breaks the element-wise primitive's rules: {violation}");
                }
            }

            foreach (var source in elementwise.Operands.Select(o => o.Source).OfType<LdmRef>())
            {
                if (ProvablyOverlap(elementwise.Target, source))
                {
                    throw Fail(IrDiagnostics.ElementwiseShape, $"'{Text(elementwise)}' reads {source}, which overlaps its target {elementwise.Target}");
                }
            }
        }

        public void Visit(Exponential exponential) => Reference(exponential.Target, exponential, _scope);

        public void Visit(Transpose transpose)
        {
            Reference(transpose.Target, transpose, _scope);
            Reference(transpose.Source, transpose, _scope);
            Expression(transpose.Rows, transpose, _scope);
            Expression(transpose.Columns, transpose, _scope);
            var shape = new[] { transpose.Rows, transpose.Columns, transpose.Target.Count, transpose.Source.Count }.Select(e => Bounds.Of(e, _scope)).ToArray();
            if (shape.All(b => b.IsConstant) && TransposeRules.Violation(shape[0].Min, shape[1].Min, shape[2].Min, shape[3].Min) is { } violation)
            {
                throw Fail(IrDiagnostics.TransposeShape, $"'{Text(transpose)}' breaks the transpose's rules: {violation}");
            }

            if (ProvablyOverlap(transpose.Target, transpose.Source))
            {
                throw Fail(IrDiagnostics.TransposeOverlap, $"'{Text(transpose)}' reads {transpose.Source}, which overlaps its target {transpose.Target}");
            }
        }

        public void Visit(MultiplyAccumulate multiplyAccumulate)
        {
            Reference(multiplyAccumulate.Target, multiplyAccumulate, _scope);
            Reference(multiplyAccumulate.Weights, multiplyAccumulate, _scope);
            Reference(multiplyAccumulate.Source, multiplyAccumulate, _scope);
            Expression(multiplyAccumulate.Stride, multiplyAccumulate, _scope);
            Expression(multiplyAccumulate.Dilation, multiplyAccumulate, _scope);
            var shape = new[] { multiplyAccumulate.Target.Count, multiplyAccumulate.Weights.Count, multiplyAccumulate.Source.Count, multiplyAccumulate.Stride, multiplyAccumulate.Dilation }
                .Select(e => Bounds.Of(e, _scope)).ToArray();
            if (shape.All(b => b.IsConstant) && MultiplyAccumulateRules.Violation(shape[0].Min, shape[1].Min, shape[2].Min, shape[3].Min, shape[4].Min) is { } violation)
            {
                throw Fail(IrDiagnostics.MultiplyAccumulateShape, $"'{Text(multiplyAccumulate)}' breaks the multiply-accumulate's rules: {violation}");
            }

            foreach (var read in new[] { multiplyAccumulate.Weights, multiplyAccumulate.Source })
            {
                if (ProvablyOverlap(multiplyAccumulate.Target, read))
                {
                    throw Fail(IrDiagnostics.MultiplyAccumulateShape, $"'{Text(multiplyAccumulate)}' reads {read}, which overlaps its target {multiplyAccumulate.Target}");
                }
            }
        }

        /// <summary>Whether two references name the same half of one buffer and share an element whatever the variables are.</summary>
        private bool ProvablyOverlap(LdmRef first, LdmRef second)
        {
            if (first.Buffer != second.Buffer || first.Half != second.Half)
            {
                return false;
            }

            var start = Bounds.Of(new Binary(BinaryOp.Sub, second.Offset, first.Offset), _scope);
            var firstCount = Bounds.Of(first.Count, _scope);
            var secondCount = Bounds.Of(second.Count, _scope);
            // second starts at first + d with d fixed: they overlap when -secondCount < d < firstCount and both are non-empty.
            return start.IsConstant && firstCount.Min > 0 && secondCount.Min > 0 && start.Min < firstCount.Min && start.Min > -secondCount.Min;
        }

        public void Visit(ResetReply reset) => Reply(reset.Reply, reset);

        public void Visit(DmaWait wait) => Reply(wait.Reply, wait);

        public void Visit(Swap swap)
        {
            if (Buffer(swap.Buffer, swap).Copies != 2)
            {
                throw Fail(IrDiagnostics.SingleBufferHalf, $"'{Text(swap)}' swaps '{swap.Buffer}', which has one copy");
            }
        }

        public void Visit(DmaGet get) => Transfer(get, get.Target, get.Tensor, get.Offset, get.BlockElements, get.GapElements, get.Reply, _scope);

        public void Visit(DmaPut put) => Transfer(put, put.Source, put.Tensor, put.Offset, put.BlockElements, put.GapElements, put.Reply, _scope);

        public void Visit(TileDma tile)
        {
            if (_context.TilesLowered)
            {
                throw Fail(IrDiagnostics.TileNotLowered, $"'{Text(tile)}' remains after the boundary pass lowered the tile transfers");
            }

            Reference(tile.Ldm, tile, _scope);
            Tensor(tile.Tensor, tile);
            Reply(tile.Reply, tile);
            var s = tile.Shape;
            foreach (var e in new[] { tile.Offset, s.Rows, s.Columns, s.ValidRows, s.ValidColumns, s.RowStride, s.ColumnStride })
            {
                Expression(e, tile, _scope);
            }
        }

        public void Visit(MeshGemm gemm) => Gemm(gemm, _scope);

        private void Transfer(Stmt statement, LdmRef ldm, string tensorName, Expr offset, Expr block, Expr gap, string reply, RangeScope scope)
        {
            Reference(ldm, statement, scope);
            var tensor = Tensor(tensorName, statement);
            Reply(reply, statement);
            Expression(offset, statement, scope);
            Expression(block, statement, scope);
            Expression(gap, statement, scope);
            var count = Bounds.Of(ldm.Count, scope);
            var blockSize = Bounds.Of(block, scope);
            var gapSize = Bounds.Of(gap, scope);
            var first = Bounds.Of(offset, scope);
            if (!count.IsConstant || !blockSize.IsConstant || !gapSize.IsConstant || !first.IsBounded || count.Min <= 0)
            {
                return;
            }

            var span = count.Min;
            if (blockSize.Min > 0)
            {
                var blocks = (count.Min + blockSize.Min - 1) / blockSize.Min;
                span = ((blocks - 1) * (blockSize.Min + gapSize.Min)) + (count.Min - ((blocks - 1) * blockSize.Min));
            }

            if (first.Min < 0 || first.Max + span > tensor.Elements)
            {
                first = first.Intersect(LinearBounds.Of(offset, scope));
            }

            if (first.Min <= first.Max && (first.Min < 0 || first.Max + span > tensor.Elements))
            {
                throw Fail(IrDiagnostics.TensorOutOfRange,
                    $"'{Text(statement)}' reaches tensor elements [{Number(first.Min)}, {Number(first.Max + span)}) but '{tensor.Name}' has {Number(tensor.Elements)} elements");
            }
        }

        private void Gemm(MeshGemm gemm, RangeScope scope)
        {
            foreach (var size in new[] { gemm.M, gemm.N, gemm.K })
            {
                Expression(size, gemm, scope);
            }

            Reference(gemm.A, gemm, scope);
            Reference(gemm.B, gemm, scope);
            Reference(gemm.C, gemm, scope);
            if (gemm.M is IntLiteral m && gemm.N is IntLiteral n && gemm.K is IntLiteral k
                && MeshGemmRules.Violation(Narrow(m.Value), Narrow(n.Value), Narrow(k.Value)) is { } violation)
            {
                throw Fail(IrDiagnostics.GemmShape, $"'{Text(gemm)}' breaks the mesh GEMM's shape rules: {violation}");
            }
        }

        private void Reference(LdmRef reference, Stmt statement, RangeScope scope)
        {
            var buffer = Buffer(reference.Buffer, statement);
            Expression(reference.Offset, statement, scope);
            Expression(reference.Count, statement, scope);
            if (reference.Half == BufferHalf.Next && buffer.Copies != 2)
            {
                throw Fail(IrDiagnostics.SingleBufferHalf, $"'{Text(statement)}' names the next half of '{buffer.Name}', which has one copy");
            }

            var first = Bounds.Of(reference.Offset, scope);
            var endExpression = new Binary(BinaryOp.Add, reference.Offset, reference.Count);
            var end = Bounds.Of(endExpression, scope);
            if (first.Min < 0 || end.Max > buffer.Elements)
            {
                first = first.Intersect(LinearBounds.Of(reference.Offset, scope));
                end = end.Intersect(LinearBounds.Of(endExpression, scope));
            }

            if (first.Min <= first.Max && end.Min <= end.Max && (first.Min < 0 || end.Max > buffer.Elements))
            {
                throw Fail(IrDiagnostics.LdmOutOfRange,
                    $"'{Text(statement)}' is not provably inside buffer '{buffer.Name}' of {Number(buffer.Elements)} elements: {reference} starts in {first} and ends in {end}");
            }
        }

        private void Expression(Expr expression, Stmt statement, RangeScope scope) => new VariableCheck(this, statement, scope).Visit(expression);

        private RangeScope Bind(string name, Stmt statement, RangeScope scope) => scope.IsBound(name)
            ? throw Fail(IrDiagnostics.NameBoundTwice, $"'{Text(statement)}' binds '{name}', which is already bound on this path")
            : scope;

        private LdmBuffer Buffer(string name, Stmt statement) => _buffers.TryGetValue(name, out var buffer)
            ? buffer
            : throw Fail(IrDiagnostics.UndeclaredName, $"'{Text(statement)}' names buffer '{name}', which the kernel does not declare");

        private KernelTensor Tensor(string name, Stmt statement) => _tensors.TryGetValue(name, out var tensor)
            ? tensor
            : throw Fail(IrDiagnostics.UndeclaredName, $"'{Text(statement)}' names tensor '{name}', which the kernel does not declare");

        private void Reply(string name, Stmt statement)
        {
            if (!_replies.Contains(name))
            {
                throw Fail(IrDiagnostics.UndeclaredName, $"'{Text(statement)}' names reply '{name}', which the kernel does not declare");
            }
        }

        private void Declare(bool added, string kind, string name)
        {
            if (!added)
            {
                throw Fail(IrDiagnostics.DuplicateDeclaration, $"{kind} '{name}' is declared twice");
            }
        }

        private IrException Fail(string id, string reason) => new(id, $"Kernel '{_kernel.Name}': {reason}.");

        private static string Text(Stmt statement)
        {
            var text = statement.ToString();
            var lineEnd = text.IndexOf('\n', StringComparison.Ordinal);
            return (lineEnd < 0 ? text : text[..lineEnd]).Trim();
        }

        /// <summary>Fails on the first variable of an expression that <c>scope</c> does not bind.</summary>
        private sealed class VariableCheck(Verifier verifier, Stmt statement, RangeScope scope) : IrVisitor
        {
            public override void Visit(Var variable)
            {
                if (!scope.IsBound(variable.Name))
                {
                    throw verifier.Fail(IrDiagnostics.UnboundVariable, $"'{Text(statement)}' uses '{variable.Name}', which no loop, let or built-in binds there");
                }
            }
        }

        private static int Narrow(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);

        private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
