using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>The price of a fused Winograd plan.</summary>
public sealed partial class Sw26010CostModel
{
    /// <inheritdoc/>
    CostAccount ISchedulePlanVisitor<CostAccount>.VisitWinogradMesh(WinogradMeshPlan plan) => Account(plan);

    /// <summary>
    /// The counts and times behind <see cref="Estimate"/> for a fused Winograd plan, for the core group with the most
    /// images, from the primitives' cycle models and the DMA model's figures (no emulation). Compute, per chunk, group and
    /// block of output channels: the accumulators' fill; per input block the filters' transform (alpha x 3 calls at a
    /// stride of 9, then alpha^2), the input's column transform (alpha calls a segment and channel over the input
    /// columns), its row transform (alpha^2 calls at a stride of m), the scratch stages' fills and alpha^2 mesh GEMM
    /// calls; per output channel of a CPE's block the output transform (m x alpha and m x m calls) and m transposes.
    /// Every segment counts as an interior one: all alpha input rows and its input columns. DMA, every CPE's through the
    /// one controller, the tensors' bytes in the shared memory: per chunk, group, output block and input block one get
    /// of the filters a CPE (a block an output channel) and one get of the input rows a valid segment and input channel
    /// (a block a row); one put a valid segment, output channel and output row. The mesh GEMM keeps the CPEs in step and
    /// every buffer is single, so the CPEs wait for the controller's whole work: the estimate is the compute, plus the
    /// controller's time, plus a latency a wait, plus spawn and join.
    /// </summary>
    public CostAccount Account(WinogradMeshPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timing = _spec.Timing;
        var dma = timing.Dma;
        var lanes = _spec.SimdLanes;
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha, positions = plan.Transforms.Positions;
        long kt = plan.BlockIn, nt = plan.BlockOut, mt = plan.BlockTiles, pairs = plan.Pairs, r = s.Segments;
        double Mac(long count, long taps, long stride) => MultiplyAccumulatePrimitive.Cycles(timing, lanes, count, taps, stride);
        double Fill(long elements) => FillPrimitive.Cycles(timing, lanes, elements);

        var columns = plan.InputColumns;
        var gemm = MeshGemmPrimitive.Cycles(timing, s.TileChunk, s.OutBlock, s.InBlock, plan.Operator.ElementType);
        var perBlock = Fill(plan.HalfFilterElements) + Fill(plan.FilterElements) + Fill(plan.ColumnElements) + Fill(plan.TileElements)
            + (alpha * 3 * Mac(pairs, 3, 9)) + (positions * Mac(pairs, 3, 1))
            + (r * kt * alpha * Mac(columns, alpha, 1)) + (positions * Mac(kt * mt, alpha, m))
            + (positions * gemm);
        var perChannel = Fill(plan.HalfOutputElements) + Fill(plan.OutputTileElements) + (m * alpha * Mac(mt, alpha, 1)) + (m * m * Mac(mt, alpha, 1))
            + (m * TransposePrimitive.Cycles(timing, lanes, mt, m));
        var steps = (double)plan.Chunks * c.Groups * plan.OutBlocks;
        var compute = steps * (Fill(plan.AccumulatorElements) + (plan.InBlocks * perBlock) + (nt * perChannel)) / _spec.ClockHz;
        var calls = steps * plan.InBlocks * positions;

        var eb = plan.ElementBytes;
        var rows = Math.Min(alpha, c.Height);
        var segments = (double)plan.ImagesPerGroup * plan.SegmentsPerImage;
        var blockSteps = steps * plan.InBlocks;
        var filterBytes = blockSteps * Cpes * plan.RawFilterElements * eb;
        var inputGets = (double)c.Groups * plan.OutBlocks * plan.InBlocks * segments * s.InBlock;
        var inputBytes = inputGets * rows * columns * eb;
        var outputBytes = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * c.OutWidth * eb;
        var putRows = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * plan.ColumnSegments;
        var getSeconds = (((blockSteps * Cpes) + inputGets) * dma.RequestNanoseconds + (((blockSteps * Cpes * nt) + (inputGets * rows)) * dma.GetBlockNanoseconds)
            + ((filterBytes + inputBytes) * dma.GetNanosecondsPerByte * dma.CrossSegmentByteFactor)) * 1e-9;
        var putSeconds = ((putRows * (dma.RequestNanoseconds + dma.PutBlockNanoseconds)) + (outputBytes * dma.PutNanosecondsPerByte * dma.CrossSegmentByteFactor)) * 1e-9;
        var controller = getSeconds + putSeconds;
        var waits = (blockSteps * 2) + (steps * nt);
        var fixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / _spec.ClockHz;
        var seconds = compute + controller + (waits * dma.LatencyNanoseconds * 1e-9) + fixedSeconds;
        return new CostAccount(calls, filterBytes + inputBytes, outputBytes, compute, 0, controller, seconds);
    }
}
