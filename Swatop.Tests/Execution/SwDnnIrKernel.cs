using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Primitives;

namespace Swatop.Tests.Execution;

/// <summary>
/// The loop nest of the hand-written swDNN convolution (SwDnnConvolution.Program.cs) written out as
/// a loop-IR kernel for one core group: the prologue, the prefetch of the next input column and of
/// the next kernel row's weights across kernel-row, output-row and band boundaries as explicit
/// chains of conditionals, the waits and the swaps of the two double buffers.
/// </summary>
internal static class SwDnnIrKernel
{
    private const int Mesh = 8;

    private static readonly Var Row = Var.Row;
    private static readonly Var Col = Var.Column;
    private static readonly Var Band = new("band");
    private static readonly Var BandStart = new("band_start");
    private static readonly Var Width = new("width");
    private static readonly Var Ro = new("ro");
    private static readonly Var Kr = new("kr");
    private static readonly Var Ci = new("ci");
    private static readonly Var Kc = new("kc");
    private static readonly Var WeightColumn = new("wkc");
    private static readonly Var Co = new("co");
    private static readonly Var HasFollowing = new("has_following");

    /// <summary>The kernel of one core group of <paramref name="convolution"/>, over that group's input rows, all weights and its output rows.</summary>
    public static LoopKernel Build(SwDnnConvolution convolution)
    {
        var shape = convolution.Shape;
        int b = shape.Batch, ni = shape.InChannels, no = shape.OutChannels, k = shape.Kernel;
        int ci = shape.InWidth, co = shape.OutWidth, rows = convolution.RowsPerCoreGroup, stride = convolution.CoStride, bands = convolution.Bands;
        int inputBlock = b / Mesh * (ni / Mesh), weightBlock = ni / Mesh * (no / Mesh), outputBlock = b / Mesh * (no / Mesh);

        // CPE (r, c)'s input block: Ni/8 runs of B/8 elements, B apart (the mesh GEMM's A[r][c]).
        Stmt GetInput(Expr inputRow, Expr inputColumn, BufferHalf half) => Block.Of(
            new ResetReply("input"),
            new DmaGet(new LdmRef("input", 0, inputBlock, half), "input",
                ((((inputRow * ci) + inputColumn) * ni) + (Col * (ni / Mesh))) * b + (Row * (b / Mesh)), b / Mesh, b - (b / Mesh), "input"));

        // A kernel row's weights: for each kernel column No/8 runs of Ni/8 elements, Ni apart (B[r][c]).
        Stmt GetWeights(Expr kernelRow, BufferHalf half) => Block.Of(
            new ResetReply("weights"),
            new ForLoop(WeightColumn.Name, k,
                new DmaGet(new LdmRef("weights", WeightColumn * weightBlock, weightBlock, half), "weights",
                    (((((kernelRow * k) + WeightColumn) * no) + (Col * (no / Mesh))) * ni) + (Row * (ni / Mesh)), ni / Mesh, ni - (ni / Mesh), "weights")));

        var inputColumns = Width + (k - 1);
        var moreRows = Expr.Less(Ro + 1, rows);
        var moreBands = Expr.Less(Band + 1, bands);
        var nextKernelRow = Expr.Less(Kr + 1, k);

        // For each input column of the band: prefetch the next one in loop order, multiply by every
        // kernel column whose output column lies in the band, wait for the prefetch and swap.
        var column = new ForLoop(Ci.Name, inputColumns, Block.Of(
            new Conditional(Expr.Less(Ci + 1, inputColumns), GetInput(Ro + Kr, BandStart + Ci + 1, BufferHalf.Next),
                new Conditional(nextKernelRow, GetInput(Ro + Kr + 1, BandStart, BufferHalf.Next),
                    new Conditional(moreRows, GetInput(Ro + 1, BandStart, BufferHalf.Next),
                        new Conditional(moreBands, GetInput(0, BandStart + stride, BufferHalf.Next))))),
            new ForLoop(Kc.Name, k,
                new Conditional(Expr.And(Expr.LessOrEqual(Kc, Ci), Expr.Less(Ci - Kc, Width)),
                    new MeshGemm(b, no, ni, new LdmRef("input", 0, inputBlock), new LdmRef("weights", Kc * weightBlock, weightBlock),
                        new LdmRef("output", (Ci - Kc) * outputBlock, outputBlock)))),
            new Conditional(Expr.Or(Expr.Less(Ci + 1, inputColumns), HasFollowing), Block.Of(new DmaWait("input"), new Swap("input")))));

        // For each kernel row: prefetch the following kernel row's weights, run the input columns,
        // wait for the weights and swap.
        var kernelRow = new ForLoop(Kr.Name, k,
            new Let(HasFollowing.Name, Expr.Or(nextKernelRow, Expr.Or(moreRows, moreBands)), Block.Of(
                new Conditional(nextKernelRow, GetWeights(Kr + 1, BufferHalf.Next),
                    new Conditional(HasFollowing, GetWeights(0, BufferHalf.Next))),
                column,
                new Conditional(HasFollowing, Block.Of(new DmaWait("weights"), new Swap("weights"))))));

        // For each output row of the band: zero its output blocks, accumulate, put each column back in turn.
        var outputRow = new ForLoop(Ro.Name, rows, Block.Of(
            new Fill(new LdmRef("output", 0, Width * outputBlock), 0.0),
            kernelRow,
            new ForLoop(Co.Name, Width, Block.Of(
                new ResetReply("output"),
                new DmaPut(new LdmRef("output", Co * outputBlock, outputBlock), "output",
                    ((((Ro * co) + BandStart + Co) * no) + (Col * (no / Mesh))) * b + (Row * (b / Mesh)), b / Mesh, b - (b / Mesh), "output"),
                new DmaWait("output")))));

        var body = Block.Of(
            GetWeights(0, BufferHalf.Current),
            GetInput(0, 0, BufferHalf.Current),
            new DmaWait("weights"),
            new DmaWait("input"),
            new ForLoop(Band.Name, bands,
                new Let(BandStart.Name, Band * stride,
                    new Let(Width.Name, Expr.Min(stride, co - BandStart), outputRow))));

        return new LoopKernel("swdnn_conv", ElementType.Float64,
            [
                new("input", (long)convolution.InputRowsPerCoreGroup * ci * ni * b, false),
                new("weights", shape.WeightLength, false),
                new("output", (long)rows * co * no * b, true),
            ],
            [new("input", inputBlock, Copies: 2, DoubleBuffer: true), new("weights", k * weightBlock, Copies: 2, DoubleBuffer: true), new("output", stride * outputBlock)],
            ["input", "weights", "output"],
            body);
    }
}
