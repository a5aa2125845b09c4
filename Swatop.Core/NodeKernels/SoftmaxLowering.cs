using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// Lowers a <see cref="SoftmaxKernel"/> to the loop IR: the SPMD kernel every CPE of each of its core groups runs, from
/// <see cref="SourceTensor"/> to <see cref="DestinationTensor"/>, both in the framework's layout in the memory the
/// framework shares. Each unit of work is a run of whole rows, dealt in turns to the <c>64 * CoreGroups</c> CPEs,
/// single-buffered as a layout step is.
/// </summary>
/// <remarks>
/// <para>
/// A unit gets its rows in one DMA get and transposes them in LDM, so that the rows' elements at one position lie
/// together: each reduction over a row is then element-wise over runs. The maximum: the rows copied into the
/// work buffer (a fill with 0 and an add), halved by an element-wise maximum of the upper half into the lower until
/// one column is left (a tree, exact). The maximum negated, added to every element (<c>x - max</c>, exactly as the
/// reference rounds it), the exponential primitive over the block; the sum likewise by halving with an element-wise
/// add (pairwise: error at most <c>ceil(log2 n)</c> roundings of the sum, where the reference adds in order);
/// its reciprocal by the element-wise divide (one rounding), every element multiplied by it (one more rounding
/// than a quotient). Transposed back and put in one DMA put.
/// </para>
/// <para>
/// Against the reference (<c>Math.Exp</c>, an in-order sum in double, a quotient): in double, each output differs by
/// the exponential's error (below 1 ulp), the two sums' (pairwise, in order: at most <c>(ceil(log2 n) + n)</c> unit
/// roundoffs) and the reciprocal's and product's two roundings. In float the kernel computes in float (the reference in
/// double): the subtraction <c>x - max</c> rounds to float, which multiplies the output by up to
/// <c>1 + |x - max| u</c> (u = 2^-24).
/// </para>
/// </remarks>
public static class SoftmaxLowering
{
    /// <summary>The kernel tensor read: the input.</summary>
    public const string SourceTensor = "source";

    /// <summary>The kernel tensor written: the output.</summary>
    public const string DestinationTensor = "destination";

    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";

    /// <summary>Lowers <paramref name="kernel"/> for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="NotSupportedException">Two copies of one row and its reciprocal do not fit the LDM budget.</exception>
    public static LoopKernel Lower(SoftmaxKernel kernel, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(limits);
        var length = (long)kernel.Length;
        var fit = NodeKernelLoops.Room(limits, kernel.ElementBytes, 3) / ((2 * length) + 1);
        if (fit < 1)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"Softmax '{kernel.Name}': a row of {length} elements, twice, does not fit the LDM budget of {limits.LdmBudgetBytes} bytes; the kernel holds whole rows."));
        }

        var workers = NodeKernelLoops.Cpes * kernel.CoreGroups;

        // Enough rows a unit to give every CPE work, no more than fit.
        var per = Math.Max(1, Math.Min(fit, (kernel.Rows + workers - 1) / workers));
        var chunks = (kernel.Rows + per - 1) / per;
        var first = new Var("first");
        var count = new Var("count");
        var block = new LdmRef("turned", 0, count * length);
        var work = new LdmRef("tile", 0, count * length);
        var column = new LdmRef("tile", 0, count);
        var reciprocals = new LdmRef("reciprocals", 0, count);
        var unit = new List<Stmt>
        {
            new ResetReply(GetReply),
            new DmaGet(work, SourceTensor, first * length, 0, 0, GetReply),
            new DmaWait(GetReply),
            new Transpose(block, work, length, count),

            // The maximum of each row, then -max added to each element.
            new Fill(work, 0),
            new Elementwise(work, ElementwiseOp.Add, [ElementwiseOperand.Span(block)]),
        };
        unit.AddRange(Halving(ElementwiseOp.Maximum, length, count));
        unit.Add(new Elementwise(column, ElementwiseOp.Multiply, [ElementwiseOperand.Scalar(-1)]));
        unit.Add(new Elementwise(block, ElementwiseOp.Add, [ElementwiseOperand.PerRow(column)]));
        unit.Add(new Exponential(block));

        // The sum of each row, its reciprocal, the product.
        unit.Add(new Fill(work, 0));
        unit.Add(new Elementwise(work, ElementwiseOp.Add, [ElementwiseOperand.Span(block)]));
        unit.AddRange(Halving(ElementwiseOp.Add, length, count));
        unit.Add(new Fill(reciprocals, 1));
        unit.Add(new Elementwise(reciprocals, ElementwiseOp.Divide, [ElementwiseOperand.Span(column)]));
        unit.Add(new Elementwise(block, ElementwiseOp.Multiply, [ElementwiseOperand.PerRow(reciprocals)]));

        unit.Add(new Transpose(work, block, count, length));
        unit.Add(new ResetReply(PutReply));
        unit.Add(new DmaPut(work, DestinationTensor, first * length, 0, 0, PutReply));
        unit.Add(new DmaWait(PutReply));

        var chunk = new Var("chunk");
        var perChunk = new Let(first.Name, chunk * per, new Let(count.Name, Expr.Min(per, kernel.Rows - first), Block.Of(unit)));
        var body = NodeKernelLoops.Turns(chunks, workers, NodeKernelLoops.Worker, chunk, perChunk);
        var tensors = ImmutableArray.Create(
            new KernelTensor(SourceTensor, kernel.Elements, IsOutput: false),
            new KernelTensor(DestinationTensor, kernel.Elements, IsOutput: true));
        ImmutableArray<LdmBuffer> buffers = [new LdmBuffer("tile", per * length), new LdmBuffer("turned", per * length), new LdmBuffer("reciprocals", per)];
        return new LoopKernel(KernelLowering.Identifier(kernel.Name), kernel.ElementType, tensors, buffers, [GetReply, PutReply], body);
    }

    /// <summary>
    /// Reduces the <paramref name="length"/> columns of <paramref name="count"/> elements at the start of the work buffer
    /// into its first column by <paramref name="op"/>: the upper half into the lower (the middle column of an odd number
    /// stays), until one is left.
    /// </summary>
    private static IEnumerable<Stmt> Halving(ElementwiseOp op, long length, Expr count)
    {
        for (var n = length; n > 1; n -= n / 2)
        {
            var half = n / 2;
            yield return new Elementwise(new LdmRef("tile", 0, count * half), op, [ElementwiseOperand.Span(new LdmRef("tile", count * (n - half), count * half))]);
        }
    }
}
