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
    /// The compute counts every segment as an interior one (all alpha input rows and its input columns): the mesh GEMM
    /// keeps the CPEs in step, so a block takes as long as its CPE with interior segments. DMA, every CPE's through the
    /// one controller, the tensors' bytes in the shared memory: per chunk, group, output block and input block one get
    /// of the filters a CPE (a block an output channel) and one get of the input rows a segment and input channel that
    /// reads some of the input, of the rows and columns it reads (fewer at the image's borders; a block a row, or one
    /// block where a segment reads whole rows); one put a valid segment, output channel and output row, or with block
    /// puts one put a valid segment and output channel (a block, or a block a row where segments do not span the
    /// output's width) after a fill and a copy a row.
    /// </summary>
    /// <remarks>
    /// The CPEs' time, block by block and channel by channel: an input block's gets, single-buffered, before its
    /// compute; double-buffered, the next block's gets served while the block computes (each block the longer of the
    /// two; the first block's gets, the prologue, before it). Then per output channel its transform, and its puts: row
    /// puts, waited for before the next channel; block puts (two copies, one reply word), waited for only before the
    /// next channel puts its own, so each channel takes the longer of its transform and the channel before's puts, and
    /// only the block's last channel's puts run on under the next block of output channels (the kernel's last, at its end). The estimate is
    /// that time or the controller's whole work, whichever is longer, plus a latency a wait, plus spawn and join. With
    /// one position's blocks at a time (<see cref="WinogradMeshSchedule.PerPosition"/>) the same calls run, their
    /// buffers filled once a position.
    /// </remarks>
    public CostAccount Account(WinogradMeshPlan plan)
    {
        var parts = Parts(plan);
        var s = plan.Schedule;
        var gets = parts.FilterGetSeconds + parts.InputGetSeconds;
        var controller = gets + parts.PutSeconds;
        var compute = parts.ComputeSeconds;
        var input = parts.FilterTransformSeconds + parts.InputTransformSeconds + parts.ProductSeconds;
        var steps = (double)plan.Chunks * plan.Conv.Groups * plan.OutBlocks;
        var blocks = steps * plan.InBlocks;
        var channels = steps * plan.BlockOut;
        var inputPhase = s.DoubleBuffer ? Math.Max(input, gets) + (gets / blocks) : input + gets;
        var (transform, put) = (parts.OutputTransformSeconds / channels, parts.PutSeconds / channels);
        var outputPhase = s.BlockPuts
            ? ((channels - steps) * Math.Max(transform, put)) + (steps * transform) + put
            : parts.OutputTransformSeconds + parts.PutSeconds;
        var busy = Math.Max(inputPhase + outputPhase, controller);
        var exposed = Math.Max(0, busy - compute);
        var seconds = busy + parts.WaitSeconds + parts.FixedSeconds;
        // With single buffers and row puts no transfer runs under the compute.
        var hidden = s.DoubleBuffer || s.BlockPuts ? Math.Max(0, controller - exposed) : 0;
        return new CostAccount(parts.GemmCalls, parts.GetBytes, parts.PutBytes, compute, hidden, exposed, seconds);
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
        var (tileRows, rowsRead, columnSegments, columnsRead) = InputReads(plan);
        var filterBytes = blockSteps * Cpes * plan.RawFilterElements * eb;
        // Per image, output block and input channel: a get a segment that reads some of the input, of the rows and columns it reads.
        var channelsRead = (double)plan.ImagesPerGroup * c.Groups * plan.OutBlocks * c.InChannelsPerGroup;
        var inputGets = channelsRead * tileRows * columnSegments;
        var inputBytes = channelsRead * rowsRead * columnsRead * eb;
        var inputBlocks = plan.InputRowsAdjacent ? inputGets : channelsRead * rowsRead * columnSegments;
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
            InputGetSeconds = ((inputGets * dma.RequestNanoseconds) + (inputBlocks * dma.GetBlockNanoseconds) + (inputBytes * bytesGet)) * 1e-9,
            PutSeconds = ((putRequests * dma.RequestNanoseconds) + (putBlocks * dma.PutBlockNanoseconds) + (outputBytes * dma.PutNanosecondsPerByte * dma.CrossSegmentByteFactor)) * 1e-9,
            WaitSeconds = ((s.DoubleBuffer ? 2 : blockSteps * 2) + (steps * nt)) * dma.LatencyNanoseconds * 1e-9,
            FixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / hz,
        };
    }

    /// <summary>
    /// What an image's segments read of one input channel: the rows of tiles that read some of its rows and the sum of
    /// the rows each reads (alpha, fewer at the image's top and bottom), and the segments along a row of tiles that read
    /// some of its columns and the sum of the columns each reads (fewer at its left and right). A segment reads its row's
    /// rows by its columns, as a get where both are some.
    /// </summary>
    private static (long TileRows, long Rows, long ColumnSegments, long Columns) InputReads(WinogradMeshPlan plan)
    {
        var c = plan.Conv;
        long tileRows = 0, rows = 0, columnSegments = 0, columns = 0;
        for (var ty = 0L; ty < plan.TileRows; ty++)
        {
            var first = (ty * plan.M) - c.Padding.Top;
            var vr = Math.Clamp(Math.Min(c.Height, first + plan.Alpha) - Math.Max(0, first), 0, plan.Alpha);
            (tileRows, rows) = (tileRows + (vr > 0 ? 1 : 0), rows + vr);
        }

        for (var tx = 0L; tx < plan.ColumnSegments; tx++)
        {
            var c0 = (tx * plan.SegmentSpan) - c.Padding.Left;
            var vw = Math.Clamp(Math.Min(c.Width, c0 + plan.RowStride) - Math.Max(0, c0), 0, plan.InputColumns);
            (columnSegments, columns) = (columnSegments + (vw > 0 ? 1 : 0), columns + vw);
        }

        return (tileRows, rows, columnSegments, columns);
    }
}
