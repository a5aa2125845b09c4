using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// Lowers a <see cref="PoolingKernel"/> to the loop IR: the SPMD kernel every CPE of each of its core groups runs, from
/// <see cref="SourceTensor"/> (the input, NCHW) to <see cref="DestinationTensor"/> (the output, NCHW), both in the memory
/// the framework shares. The work is dealt in turns to the <c>64 * CoreGroups</c> CPEs, single-buffered as a layout
/// step is (64 CPEs of a group keep its memory controller busy).
/// </summary>
/// <remarks>
/// <para>
/// A global average pooling gets a run of whole planes in one DMA get, transposes it in LDM so that each plane's
/// elements lie a column apart, adds the columns into the first one element-wise (each plane's elements in row-major
/// order), scales by <c>1 / (H * W)</c> and puts the means in one DMA put.
/// </para>
/// <para>
/// A windowed pooling takes a band of output rows of one plane: it gets the input rows the band's windows cover in one
/// DMA get; for each output row it reduces the window's rows that lie in the input into a padded row (a copy, then an
/// element-wise maximum or sum of each further row), pads it (a maximum with copies of the row's first and last
/// elements, which every window that covers padding also covers, so the padding is never the maximum; a mean with
/// zeros), splits it into its stride's phases with one LDM transpose, so that each column tap of the windows is one
/// contiguous run, and reduces the taps into the output row. An average is then scaled by the reciprocal of its
/// divisor (per output column and row class when the padding does not count), and the band is put in one DMA put.
/// A maximum is exact; a mean sums in the element type in another order than the reference, and multiplies by a
/// rounded reciprocal rather than dividing: within the summation bound of its window.
/// </para>
/// </remarks>
public static class PoolingLowering
{
    /// <summary>The kernel tensor read: the input, NCHW.</summary>
    public const string SourceTensor = "source";

    /// <summary>The kernel tensor written: the output, NCHW.</summary>
    public const string DestinationTensor = "destination";

    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";

    /// <summary>Lowers <paramref name="kernel"/> for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="NotSupportedException">The kernel's buffers for one plane (a global pooling) or one output row (a windowed one) do not fit the LDM budget.</exception>
    public static LoopKernel Lower(PoolingKernel kernel, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(limits);
        var tensors = ImmutableArray.Create(
            new KernelTensor(SourceTensor, kernel.InputElements, IsOutput: false),
            new KernelTensor(DestinationTensor, kernel.OutputElements, IsOutput: true));
        var workers = NodeKernelLoops.Cpes * kernel.CoreGroups;
        var worker = NodeKernelLoops.Worker;
        var (buffers, body) = kernel.Kind == PoolingKind.GlobalAverage
            ? Global(kernel, limits, workers, worker)
            : Windowed(kernel, limits, workers, worker);
        return new LoopKernel(KernelLowering.Identifier(kernel.Name), kernel.ElementType, tensors, buffers, [GetReply, PutReply], body);
    }

    /// <summary>The elements the LDM budget holds for <paramref name="buffers"/> buffers, each rounded up to the alignment.</summary>
    private static long Room(PoolingKernel kernel, TargetLimits limits, int buffers) => NodeKernelLoops.Room(limits, kernel.ElementBytes, buffers);

    private static (ImmutableArray<LdmBuffer> Buffers, Stmt Body) Global(PoolingKernel kernel, TargetLimits limits, int workers, Expr worker)
    {
        var plane = (long)kernel.Height * kernel.Width;
        var fit = Room(kernel, limits, 2) / (2 * plane);
        if (fit < 1)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"Pooling '{kernel.Name}': a plane of {kernel.Height} x {kernel.Width} elements, twice, does not fit the LDM budget of {limits.LdmBudgetBytes} bytes; a global pooling's kernel holds whole planes."));
        }

        // Enough planes a turn to give every CPE work, no more than fit.
        var per = Math.Max(1, Math.Min(fit, (kernel.Planes + workers - 1) / workers));
        var chunks = (kernel.Planes + per - 1) / per;
        var count = new Var("count");
        var first = new Var("first");
        var q = new Var("q");
        var sum = new LdmRef("turned", 0, count);
        var unit = Block.Of(
            new ResetReply(GetReply),
            new DmaGet(new LdmRef("tile", 0, count * plane), SourceTensor, first * plane, 0, 0, GetReply),
            new DmaWait(GetReply),
            new Transpose(new LdmRef("turned", 0, count * plane), new LdmRef("tile", 0, count * plane), plane, count),
            new ForLoop(q.Name, plane - 1, new Elementwise(sum, ElementwiseOp.Add, [ElementwiseOperand.Span(new LdmRef("turned", (q + 1) * count, count))])),
            new Elementwise(sum, ElementwiseOp.Multiply, [ElementwiseOperand.Scalar(1.0 / plane)]),
            new ResetReply(PutReply),
            new DmaPut(sum, DestinationTensor, first, 0, 0, PutReply),
            new DmaWait(PutReply));
        var chunk = new Var("chunk");
        var perChunk = new Let(first.Name, chunk * per, new Let(count.Name, Expr.Min(per, kernel.Planes - first), unit));
        var body = NodeKernelLoops.Turns(chunks, workers, worker, chunk, perChunk);
        return ([new LdmBuffer("tile", per * plane), new LdmBuffer("turned", per * plane)], body);
    }

    private static (ImmutableArray<LdmBuffer> Buffers, Stmt Body) Windowed(PoolingKernel kernel, TargetLimits limits, int workers, Expr worker)
    {
        var (h, w) = (kernel.Height, kernel.Width);
        var (kh, kw) = (kernel.Window.Height, kernel.Window.Width);
        var (sh, sw) = (kernel.Stride.Height, kernel.Stride.Width);
        var (ph, pw) = (kernel.Padding.Height, kernel.Padding.Width);
        var (oh, ow) = (kernel.OutHeight, kernel.OutWidth);
        var max = kernel.Kind == PoolingKind.Max;

        // The padded row, a multiple of the stride, and its phases.
        var phase = (w + (2L * pw) + sw - 1) / sw;
        var padded = phase * sw;
        var classes = max || kernel.CountIncludePad ? [] : RowClasses(kernel);
        var reciprocals = classes.Length * (long)ow;
        long Need(long rows) => (Math.Min(h, ((rows - 1) * sh) + kh) * (long)w) + (2 * padded) + (rows * ow) + reciprocals;
        var room = Room(kernel, limits, 5);
        if (Need(1) > room)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"Pooling '{kernel.Name}': the buffers of one output row ({Need(1)} elements) do not fit the LDM budget of {limits.LdmBudgetBytes} bytes."));
        }

        // The most output rows a band that fit, fewer while the bands would leave CPEs idle.
        long band = 1;
        while (band < oh && Need(band + 1) <= room)
        {
            band++;
        }

        while (band > 1 && (long)kernel.Planes * ((oh + band - 1) / band) < workers)
        {
            band = (band + 1) / 2;
        }

        var bands = (oh + band - 1) / band;
        var inputRows = Math.Min(h, ((band - 1) * sh) + kh);
        var op = max ? ElementwiseOp.Maximum : ElementwiseOp.Add;

        // Per unit: the plane, the band's first output row and its rows, the input rows it covers.
        var unit = new Var("unit");
        var planeVar = new Var("plane");
        var oh0 = new Var("oh0");
        var rows = new Var("rows_v");
        var r0 = new Var("r0");
        var r1 = new Var("r1");
        var j = new Var("j");
        var out0 = new Var("oh");
        var top = new Var("top");
        var h0 = new Var("h0");
        var h1 = new Var("h1");
        var k = new Var("k");
        var row = new LdmRef("padded", pw, w);
        var output = new LdmRef("acc", j * ow, ow);
        var perRow = new List<Stmt>
        {
            // The window's rows inside the input, reduced into the padded row.
            new Transpose(row, new LdmRef("band", (h0 - r0) * w, w), w, 1),
            new ForLoop(k.Name, h1 - h0 - 1, new Elementwise(row, op, [ElementwiseOperand.Span(new LdmRef("band", (h0 - r0 + k + 1) * w, w))])),
        };
        if (max)
        {
            for (var i = 0; i < pw; i++)
            {
                perRow.Add(new Transpose(new LdmRef("padded", i, 1), new LdmRef("padded", pw, 1), 1, 1));
                perRow.Add(new Transpose(new LdmRef("padded", pw + w + i, 1), new LdmRef("padded", pw + w - 1, 1), 1, 1));
            }
        }

        var taps = "padded";
        if (sw > 1)
        {
            perRow.Add(new Transpose(new LdmRef("phases", 0, padded), new LdmRef("padded", 0, padded), sw, phase));
            taps = "phases";
        }

        for (var t = 0; t < kw; t++)
        {
            var tap = new LdmRef(taps, ((t % sw) * phase) + (t / sw), ow);
            perRow.Add(t == 0 ? new Transpose(output, tap, ow, 1) : new Elementwise(output, op, [ElementwiseOperand.Span(tap)]));
        }

        if (!max)
        {
            if (classes.IsEmpty)
            {
                perRow.Add(new Elementwise(output, ElementwiseOp.Multiply, [ElementwiseOperand.Scalar(1.0 / ((long)kh * kw))]));
            }
            else
            {
                for (var c = 0; c < classes.Length; c++)
                {
                    var (from, to, _) = classes[c];
                    perRow.Add(new Conditional(Expr.And(Expr.LessOrEqual(from, out0), Expr.Less(out0, to)),
                        new Elementwise(output, ElementwiseOp.Multiply, [ElementwiseOperand.Span(new LdmRef("reciprocals", c * (long)ow, ow))])));
                }
            }
        }

        Stmt rowBody = new Let(out0.Name, oh0 + j, new Let(top.Name, (out0 * sh) - ph,
            new Let(h0.Name, Expr.Max(top, 0), new Let(h1.Name, Expr.Min(top + kh, h), Block.Of(perRow)))));
        var perUnit = Block.Of(
            new ResetReply(GetReply),
            new DmaGet(new LdmRef("band", 0, (r1 - r0) * w), SourceTensor, (planeVar * ((long)h * w)) + (r0 * w), 0, 0, GetReply),
            new DmaWait(GetReply),
            new ForLoop(j.Name, rows, rowBody),
            new ResetReply(PutReply),
            new DmaPut(new LdmRef("acc", 0, rows * ow), DestinationTensor, (planeVar * ((long)oh * ow)) + (oh0 * ow), 0, 0, PutReply),
            new DmaWait(PutReply));
        var bound = new Let(planeVar.Name, unit / bands, new Let(oh0.Name, (unit % bands) * band, new Let(rows.Name, Expr.Min(band, oh - oh0),
            new Let(r0.Name, Expr.Max(0, (oh0 * sh) - ph), new Let(r1.Name, Expr.Min(h, ((oh0 + rows - 1) * sh) - ph + kh), perUnit)))));

        // The padding stays as filled (zeros for a mean), and each class's reciprocals are set once.
        var setup = new List<Stmt> { new Fill(new LdmRef("padded", 0, padded), 0) };
        for (var c = 0; c < classes.Length; c++)
        {
            for (var o = 0; o < ow; o++)
            {
                var left = (o * sw) - pw;
                var columns = Math.Min(left + kw, w) - Math.Max(left, 0);
                setup.Add(new Fill(new LdmRef("reciprocals", (c * (long)ow) + o, 1), 1.0 / ((long)classes[c].Rows * columns)));
            }
        }

        var buffers = ImmutableArray.CreateBuilder<LdmBuffer>();
        buffers.Add(new LdmBuffer("band", inputRows * w));
        buffers.Add(new LdmBuffer("padded", padded));
        if (sw > 1)
        {
            buffers.Add(new LdmBuffer("phases", padded));
        }

        buffers.Add(new LdmBuffer("acc", band * ow));
        if (reciprocals > 0)
        {
            buffers.Add(new LdmBuffer("reciprocals", reciprocals));
        }

        var body = Block.Of([.. setup, NodeKernelLoops.Turns((long)kernel.Planes * bands, workers, worker, unit, bound)]);
        return (buffers.ToImmutable(), body);
    }

    /// <summary>The output rows grouped by how many window rows lie in the input: runs <c>[From, To)</c> of equal <c>Rows</c>.</summary>
    private static ImmutableArray<(int From, int To, int Rows)> RowClasses(PoolingKernel kernel)
    {
        var runs = ImmutableArray.CreateBuilder<(int From, int To, int Rows)>();
        for (var o = 0; o < kernel.OutHeight; o++)
        {
            var top = (o * kernel.Stride.Height) - kernel.Padding.Height;
            var rows = Math.Min(top + kernel.Window.Height, kernel.Height) - Math.Max(top, 0);
            if (runs.Count > 0 && runs[^1].Rows == rows)
            {
                runs[^1] = runs[^1] with { To = o + 1 };
            }
            else
            {
                runs.Add((o, o + 1, rows));
            }
        }

        return runs.ToImmutable();
    }
}
