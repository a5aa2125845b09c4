using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// Lowers an <see cref="ElementwiseNodeKernel"/> to the loop IR: the SPMD kernel every CPE of each of its core groups
/// runs, from <see cref="SourceTensor"/> (and <see cref="SecondTensor"/>) to <see cref="DestinationTensor"/>, all in the
/// framework's layout in the memory the framework shares. The work is dealt in turns to the <c>64 * CoreGroups</c> CPEs,
/// single-buffered as a layout step is.
/// </summary>
/// <remarks>
/// <para>
/// An add or a clamp streams: each unit is a run of elements, got in one DMA get (an add's two inputs in two), updated
/// in LDM by the element-wise primitive (an add; a maximum, a minimum or both for a clamp) and put in one DMA put.
/// </para>
/// <para>
/// A per-channel bias or scale first gets the channels' constants into LDM once; each unit is then a run of whole
/// channel planes of one image (or, where a plane does not fit the LDM, a part of one plane), updated by the element-wise
/// primitive with the constants broadcast along each plane's column of the run's column-major block.
/// </para>
/// <para>
/// Each element is rounded once, by the same operation in the same element type as the node's reference: exact.
/// </para>
/// </remarks>
public static class ElementwiseNodeLowering
{
    /// <summary>The kernel tensor read first: the add's left input, or the clamped, biased or scaled input.</summary>
    public const string SourceTensor = "source";

    /// <summary>The second kernel tensor read: the add's right input, or the per-channel constants.</summary>
    public const string SecondTensor = "second";

    /// <summary>The kernel tensor written: the output.</summary>
    public const string DestinationTensor = "destination";

    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";

    /// <summary>Lowers <paramref name="kernel"/> for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="NotSupportedException">A per-channel kernel's constants with one element do not fit the LDM budget.</exception>
    public static LoopKernel Lower(ElementwiseNodeKernel kernel, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(limits);
        var tensors = ImmutableArray.CreateBuilder<KernelTensor>();
        tensors.Add(new KernelTensor(SourceTensor, kernel.Elements, IsOutput: false));
        if (kernel.HasSecondInput)
        {
            tensors.Add(new KernelTensor(SecondTensor, kernel.SecondElements, IsOutput: false));
        }

        tensors.Add(new KernelTensor(DestinationTensor, kernel.Elements, IsOutput: true));
        var workers = NodeKernelLoops.Cpes * kernel.CoreGroups;
        var (buffers, body) = kernel.Kind is ElementwiseNodeKind.Add or ElementwiseNodeKind.Clip
            ? Streaming(kernel, limits, workers)
            : PerChannel(kernel, limits, workers);
        return new LoopKernel(KernelLowering.Identifier(kernel.Name), kernel.ElementType, tensors.ToImmutable(), buffers, [GetReply, PutReply], body);
    }

    private static (ImmutableArray<LdmBuffer> Buffers, Stmt Body) Streaming(ElementwiseNodeKernel kernel, TargetLimits limits, int workers)
    {
        var add = kernel.Kind == ElementwiseNodeKind.Add;
        var room = NodeKernelLoops.Room(limits, kernel.ElementBytes, add ? 2 : 1) / (add ? 2 : 1);
        var per = Math.Max(1, Math.Min(room, (kernel.Elements + workers - 1) / workers));
        var chunks = (kernel.Elements + per - 1) / per;
        var chunk = new Var("chunk");
        var first = new Var("first");
        var count = new Var("count");
        var tile = new LdmRef("tile", 0, count);
        var unit = new List<Stmt>
        {
            new ResetReply(GetReply),
            new DmaGet(tile, SourceTensor, first, 0, 0, GetReply),
        };
        if (add)
        {
            unit.Add(new DmaGet(new LdmRef("other", 0, count), SecondTensor, first, 0, 0, GetReply));
        }

        unit.Add(new DmaWait(GetReply));
        if (add)
        {
            unit.Add(new Elementwise(tile, ElementwiseOp.Add, [ElementwiseOperand.Span(new LdmRef("other", 0, count))]));
        }
        else if (Clamp(kernel) is { } clamp)
        {
            unit.Add(new Elementwise(tile, clamp.Op, clamp.Operands));
        }

        unit.Add(new ResetReply(PutReply));
        unit.Add(new DmaPut(tile, DestinationTensor, first, 0, 0, PutReply));
        unit.Add(new DmaWait(PutReply));
        var perChunk = new Let(first.Name, chunk * per, new Let(count.Name, Expr.Min(per, kernel.Elements - first), Block.Of(unit)));
        var body = NodeKernelLoops.Turns(chunks, workers, NodeKernelLoops.Worker, chunk, perChunk);
        ImmutableArray<LdmBuffer> buffers = add ? [new LdmBuffer("tile", per), new LdmBuffer("other", per)] : [new LdmBuffer("tile", per)];
        return (buffers, body);
    }

    /// <summary>A clamp's primitive: both bounds, the minimum or the maximum; <see langword="null"/> for a clamp with neither (a copy).</summary>
    private static (ElementwiseOp Op, ImmutableArray<ElementwiseOperand> Operands)? Clamp(ElementwiseNodeKernel kernel)
    {
        var hasMin = !double.IsNegativeInfinity(kernel.Minimum);
        var hasMax = !double.IsPositiveInfinity(kernel.Maximum);
        return (hasMin, hasMax) switch
        {
            (true, true) => (ElementwiseOp.Clamp, [ElementwiseOperand.Scalar(kernel.Minimum), ElementwiseOperand.Scalar(kernel.Maximum)]),
            (true, false) => (ElementwiseOp.Maximum, [ElementwiseOperand.Scalar(kernel.Minimum)]),
            (false, true) => (ElementwiseOp.Minimum, [ElementwiseOperand.Scalar(kernel.Maximum)]),
            _ => null,
        };
    }

    private static (ImmutableArray<LdmBuffer> Buffers, Stmt Body) PerChannel(ElementwiseNodeKernel kernel, TargetLimits limits, int workers)
    {
        var channels = kernel.Channels;
        var inner = kernel.Inner;
        var fit = NodeKernelLoops.Room(limits, kernel.ElementBytes, 2) - channels;
        if (fit < 1)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"Element-wise node '{kernel.Name}': its {channels} per-channel constants and one element do not fit the LDM budget of {limits.LdmBudgetBytes} bytes."));
        }

        var op = kernel.Kind == ElementwiseNodeKind.BiasAdd ? ElementwiseOp.Add : ElementwiseOp.Multiply;
        var unit = new Var("unit");
        var c0 = new Var("c0");
        var cc = new Var("cc");
        var at = new Var("at");
        var count = new Var("count");
        Stmt bound;
        long units;
        long tileElements;
        if (inner <= fit)
        {
            // Whole planes of one image a unit: enough to give every CPE work, no more than fit.
            var planes = (long)kernel.Batch * channels;
            var per = Math.Max(1, Math.Min(Math.Min(channels, fit / inner), (planes + workers - 1) / workers));
            var chunks = (channels + per - 1) / per;
            units = kernel.Batch * chunks;
            tileElements = per * inner;
            var image = new Var("image");
            bound = new Let(image.Name, unit / chunks, new Let(c0.Name, (unit % chunks) * per, new Let(cc.Name, Expr.Min(per, channels - c0),
                new Let(at.Name, ((image * channels) + c0) * inner, new Let(count.Name, cc * inner, Unit(c0, cc))))));
        }
        else
        {
            // A part of one plane a unit.
            var pieces = (inner + fit - 1) / fit;
            units = (long)kernel.Batch * channels * pieces;
            tileElements = fit;
            var plane = new Var("plane");
            var o0 = new Var("o0");
            bound = new Let(plane.Name, unit / pieces, new Let(o0.Name, (unit % pieces) * fit, new Let(c0.Name, plane % channels,
                new Let(at.Name, (plane * inner) + o0, new Let(count.Name, Expr.Min(fit, inner - o0), Unit(c0, 1))))));
        }

        Stmt Unit(Expr channel, Expr planes)
        {
            var tile = new LdmRef("tile", 0, count);
            return Block.Of(
                new ResetReply(GetReply),
                new DmaGet(tile, SourceTensor, at, 0, 0, GetReply),
                new DmaWait(GetReply),
                new Elementwise(tile, op, [ElementwiseOperand.PerColumn(new LdmRef("constants", channel, planes))]),
                new ResetReply(PutReply),
                new DmaPut(tile, DestinationTensor, at, 0, 0, PutReply),
                new DmaWait(PutReply));
        }

        var setup = Block.Of(
            new ResetReply(GetReply),
            new DmaGet(new LdmRef("constants", 0, channels), SecondTensor, 0, 0, 0, GetReply),
            new DmaWait(GetReply));
        var body = Block.Of(setup, NodeKernelLoops.Turns(units, workers, NodeKernelLoops.Worker, unit, bound));
        return ([new LdmBuffer("constants", channels), new LdmBuffer("tile", tileElements)], body);
    }
}
