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
    /// (a block a row, or one block where a segment reads whole rows); one put a valid segment, output channel and output row, or with block puts one put a valid
    /// segment and output channel (a block, or a block a row where segments do not span the output's width) after a fill
    /// and a copy a row. The mesh GEMM keeps the CPEs in step, so with single buffers and row puts the CPEs wait for the
    /// controller's whole work: the estimate is the compute, plus the controller's time, plus a latency a wait, plus
    /// spawn and join. Double-buffered gets and block puts run under the compute: of their time, only what exceeds the
    /// compute adds, and the first block's gets and the last channel's puts, which have nothing to run under. With one
    /// position's blocks at a time (<see cref="WinogradMeshSchedule.PerPosition"/>) the same calls run, their buffers
    /// filled once a position.
    /// </summary>
    public CostAccount Account(WinogradMeshPlan plan)
    {
        var parts = Parts(plan);
        var gets = parts.FilterGetSeconds + parts.InputGetSeconds;
        var controller = gets + parts.PutSeconds;
        var compute = parts.ComputeSeconds;
        // The first block's gets (the prologue) and the last channel's puts have nothing to run under.
        var blocks = (double)plan.Chunks * plan.Conv.Groups * plan.OutBlocks * plan.InBlocks;
        var channels = (double)plan.Chunks * plan.Conv.Groups * plan.OutBlocks * plan.BlockOut;
        var ends = (plan.Schedule.DoubleBuffer ? gets / blocks : 0) + (plan.Schedule.BlockPuts ? parts.PutSeconds / channels : 0);
        var overlapped = (plan.Schedule.DoubleBuffer ? gets : 0) + (plan.Schedule.BlockPuts ? parts.PutSeconds : 0) - ends;
        var exposed = controller - overlapped + Math.Max(0, overlapped - compute);
        var seconds = compute + exposed + parts.WaitSeconds + parts.FixedSeconds;
        return new CostAccount(parts.GemmCalls, parts.GetBytes, parts.PutBytes, compute, controller - exposed, exposed, seconds);
    }

    /// <summary>The price of a fused Winograd plan stage by stage (<see cref="Account(WinogradMeshPlan)"/> adds them up).</summary>
    internal WinogradMeshCost Parts(WinogradMeshPlan plan)
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
        // One position's blocks at a time fill their buffers once a position, the half transform's once a row of positions.
        var (halfFills, blockFills) = s.PerPosition ? (alpha, positions) : (1, 1);
        var filterBlock = (halfFills * Fill(plan.HalfFilterElements)) + (blockFills * Fill(plan.FilterElements)) + (alpha * 3 * Mac(pairs, 3, 9)) + (positions * Mac(pairs, 3, 1));
        var inputBlock = Fill(plan.ColumnElements) + (blockFills * Fill(plan.TileElements)) + (r * kt * alpha * Mac(columns, alpha, 1)) + (positions * Mac(kt * mt, alpha, m));
        var perChannel = Fill(plan.HalfOutputElements) + Fill(plan.OutputTileElements) + (m * alpha * Mac(mt, alpha, 1)) + (m * m * Mac(mt, alpha, 1))
            + (m * TransposePrimitive.Cycles(timing, lanes, mt, m))
            + (s.BlockPuts ? Fill(plan.PutElements) + (r * m * Mac(plan.SegmentSpan, 1, 1)) : 0);
        var steps = (double)plan.Chunks * c.Groups * plan.OutBlocks;
        var blockSteps = steps * plan.InBlocks;
        var hz = _spec.ClockHz;

        var eb = plan.ElementBytes;
        var rows = Math.Min(alpha, c.Height);
        var segments = (double)plan.ImagesPerGroup * plan.SegmentsPerImage;
        var filterBytes = blockSteps * Cpes * plan.RawFilterElements * eb;
        var inputGets = (double)c.Groups * plan.OutBlocks * plan.InBlocks * segments * s.InBlock;
        var inputBytes = inputGets * rows * columns * eb;
        var outputBytes = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * c.OutWidth * eb;
        var putRows = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * plan.ColumnSegments;
        var putRequests = s.BlockPuts ? (double)plan.ImagesPerGroup * c.OutChannels * plan.TileRows * plan.ColumnSegments : putRows;
        var putBlocks = s.BlockPuts && plan.SegmentsSpanRows ? putRequests : putRows;
        var filterGets = blockSteps * Cpes;
        var bytesGet = dma.GetNanosecondsPerByte * dma.CrossSegmentByteFactor;
        return new WinogradMeshCost
        {
            GemmCalls = blockSteps * positions,
            GetBytes = filterBytes + inputBytes,
            PutBytes = outputBytes,
            FilterTransformSeconds = blockSteps * filterBlock / hz,
            InputTransformSeconds = blockSteps * inputBlock / hz,
            ProductSeconds = blockSteps * positions * gemm / hz,
            OutputTransformSeconds = steps * ((nt * perChannel) + Fill(plan.AccumulatorElements)) / hz,
            FilterGetSeconds = ((filterGets * dma.RequestNanoseconds) + (filterGets * nt * dma.GetBlockNanoseconds) + (filterBytes * bytesGet)) * 1e-9,
            InputGetSeconds = ((inputGets * dma.RequestNanoseconds) + (inputGets * (plan.InputRowsAdjacent ? 1 : rows) * dma.GetBlockNanoseconds) + (inputBytes * bytesGet)) * 1e-9,
            PutSeconds = ((putRequests * dma.RequestNanoseconds) + (putBlocks * dma.PutBlockNanoseconds) + (outputBytes * dma.PutNanosecondsPerByte * dma.CrossSegmentByteFactor)) * 1e-9,
            WaitSeconds = ((s.DoubleBuffer ? 2 : blockSteps * 2) + (steps * nt)) * dma.LatencyNanoseconds * 1e-9,
            FixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / hz,
        };
    }
}
