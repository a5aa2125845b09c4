using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>The price of a composite Winograd plan.</summary>
public sealed partial class Sw26010CostModel
{
    /// <inheritdoc/>
    CostAccount ISchedulePlanVisitor<CostAccount>.VisitWinogradGemm(WinogradGemmPlan plan) => Account(plan);

    /// <summary>
    /// The counts and times behind <see cref="Estimate"/> for a composite Winograd plan, for the core group with the most
    /// images, from the primitives' cycle models and the DMA model's figures (no emulation), of the prepared form a framework
    /// runs and a tuner measures: the filters' transform is the prepare step's, once (<see cref="WinogradGemmCost.PrepareSeconds"/>),
    /// and not in a call's price. Compute of a CPE: in the prepare step,
    /// per conv group and output channel of its block, the filters' transform of its local input channels (alpha x 3 calls
    /// at a stride of 9, then alpha^2) and its fills; per chunk and conv group, per input block the input's column
    /// transform (alpha calls a segment and channel, every segment an interior one) and row transform (alpha^2 calls at a
    /// stride of m) and their fills; per position the C blocks' fill and the mesh GEMM calls (a call a block of input channels and output block); per output
    /// channel of a CPE's block the output transform (m x alpha and m x m calls), its fills, m transposes and the copy of
    /// each row into the packed buffer. DMA, every CPE's through its group's controller: in the prepare step the filters got (a
    /// request an output channel, a block an input block) and U put (a request an output channel, a block a position); per
    /// chunk the input rows got as the fused form gets them but once (a get a segment and input channel that reads some of
    /// the input, a block a row, or one where a segment reads whole rows), V put (a request an input block, a block a
    /// position, one block when V is laid out by input block); per position and block of a call's input channels V's A
    /// block got (one block, a block an input block when V is laid out by input block), per output block too U's
    /// B block (one block when a call takes all the local input channels, else a block an output channel), and per position
    /// the C blocks put (a block an output channel, one block when M is laid out by position); per output channel its sums
    /// got (one block, a block a position when M is laid out by position) and its rows put (a request a valid segment, one block where
    /// segments span the output's width, a block a row otherwise). The framework's tensors' bytes cost twice in the shared
    /// memory, the workspaces' in the group's own memory once.
    /// </summary>
    /// <remarks>
    /// The B blocks are double-buffered: the products take the longer of their mesh GEMM calls and the controller's time
    /// for the B blocks, plus the first block's. With the C blocks' puts overlapped, the controller's time for all but a
    /// position's last output block's puts counts with the B blocks of the last block of input channels against its calls. Every other buffer is single and every other transfer is waited for
    /// before its data is used, so the rest of a CPE's time is its compute plus the controller's time for all 64 CPEs'
    /// transfers (the CPEs do alike and the mesh GEMM keeps them in step), plus a latency a wait, plus spawn and join.
    /// </remarks>
    public CostAccount Account(WinogradGemmPlan plan)
    {
        var parts = Parts(plan);
        var seconds = parts.ComputeSeconds + parts.DmaSeconds + parts.WaitSeconds + parts.FixedSeconds;
        return new CostAccount(parts.GemmCalls, parts.GetBytes, parts.PutBytes, parts.ComputeSeconds, 0, parts.DmaSeconds, seconds);
    }

    /// <summary>The price of a composite Winograd plan stage by stage (<see cref="Account(WinogradGemmPlan)"/> adds them up).</summary>
    internal WinogradGemmCost Parts(WinogradGemmPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timing = _spec.Timing;
        var dma = timing.Dma;
        var lanes = _spec.SimdLanes;
        var hz = _spec.ClockHz;
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha, positions = plan.Positions;
        long kt = plan.BlockIn, nt = plan.BlockOut, mt = plan.BlockTiles, gk = plan.BlockGemmIn, k8 = plan.LocalIn, r = s.Segments;
        double eb = plan.ElementBytes;
        double Mac(long count, long taps, long stride) => MultiplyAccumulatePrimitive.Cycles(timing, lanes, count, taps, stride);
        double Fill(long elements) => FillPrimitive.Cycles(timing, lanes, elements);

        // Compute, cycles of one CPE.
        var filterBlocks = (double)c.Groups * plan.OutBlocks * nt;
        var filterBlock = Fill(plan.HalfFilterElements) + Fill(positions * k8) + (alpha * 3 * Mac(k8, 3, 9)) + (positions * Mac(k8, 3, 1));
        var steps = (double)plan.Chunks * c.Groups;
        var inputBlock = Fill(plan.ColumnElements) + Fill(positions * mt * kt) + (r * kt * alpha * Mac(plan.InputColumns, alpha, 1)) + (positions * Mac(kt * mt, alpha, m));
        var gemm = MeshGemmPrimitive.Cycles(timing, s.TileChunk, s.OutBlock, s.GemmIn, plan.Operator.ElementType);
        var co8 = plan.LocalOut;
        var perChannel = Fill(plan.HalfOutputElements) + Fill(plan.OutputTileElements) + (m * alpha * Mac(mt, alpha, 1)) + (m * m * Mac(mt, alpha, 1))
            + (m * TransposePrimitive.Cycles(timing, lanes, mt, m)) + Fill(plan.PutElements) + (r * m * Mac(plan.SegmentSpan, 1, 1));
        var products = steps * positions;
        var calls = products * plan.GemmBlocks * plan.OutBlocks;

        // DMA, the controller's nanoseconds for all CPEs.
        var shared = dma.CrossSegmentByteFactor;
        double Gets(double requests, double blocks, double bytes, double factor) => (requests * dma.RequestNanoseconds) + (blocks * dma.GetBlockNanoseconds) + (bytes * dma.GetNanosecondsPerByte * factor);
        double Puts(double requests, double blocks, double bytes, double factor) => (requests * dma.RequestNanoseconds) + (blocks * dma.PutBlockNanoseconds) + (bytes * dma.PutNanosecondsPerByte * factor);
        var filterGetBytes = filterBlocks * Cpes * plan.RawFilterElements * eb;
        var filterPutBytes = filterBlocks * Cpes * positions * k8 * eb;
        var filters = Gets(filterBlocks * Cpes, filterBlocks * Cpes * plan.InBlocks, filterGetBytes, shared)
            + Puts(filterBlocks * Cpes, filterBlocks * Cpes * (nt == 1 ? 1 : positions), filterPutBytes, 1);

        var (tileRows, rowsRead, columnSegments, columnsRead) = InputReads(plan);
        var channelsRead = (double)plan.ImagesPerGroup * c.Groups * c.InChannelsPerGroup;
        var inputBytes = channelsRead * rowsRead * columnsRead * eb;
        var inputGets = channelsRead * tileRows * columnSegments;
        var input = Gets(inputGets, plan.InputRowsAdjacent ? inputGets : channelsRead * rowsRead * columnSegments, inputBytes, shared);
        var vBytes = steps * plan.InBlocks * Cpes * positions * mt * kt * eb;
        var tilesOut = Puts(steps * plan.InBlocks * Cpes, steps * plan.InBlocks * Cpes * (k8 == kt || s.TilesByInputBlock ? 1 : positions), vBytes, 1);

        var tileBlocks = products * plan.GemmBlocks;
        var tileBytes = tileBlocks * Cpes * mt * gk * eb;
        var filterBlockBytes = calls * Cpes * gk * nt * eb;
        var sumBytes = products * Cpes * mt * co8 * eb;
        var tileGets = Gets(tileBlocks * Cpes, tileBlocks * Cpes * (s.TilesByInputBlock ? gk / kt : 1), tileBytes, 1);
        var sumPuts = s.OverlapSumPuts
            ? Puts(products * plan.OutBlocks * Cpes, products * plan.OutBlocks * Cpes * (s.SumsByPosition ? 1 : nt), sumBytes, 1)
            : Puts(products * Cpes, products * Cpes * (s.SumsByPosition ? 1 : co8), sumBytes, 1);
        var filterBlocksIn = Gets(calls * Cpes, calls * Cpes * (gk == k8 ? 1 : nt), filterBlockBytes, 1) * 1e-9;
        // The B blocks are double-buffered: the next call's fetched while this one's mesh GEMM runs. Overlapped, the C blocks
        // of all output blocks but a position's last are put while the calls of its last block of input channels run, and
        // the last one's put is waited for after them.
        var callSeconds = calls * gemm / hz;
        var (lastCalls, lastBlocksIn) = (callSeconds / plan.GemmBlocks, filterBlocksIn / plan.GemmBlocks);
        var (hiddenPuts, exposedPuts) = s.OverlapSumPuts ? (sumPuts * 1e-9 * (plan.OutBlocks - 1) / plan.OutBlocks, sumPuts / plan.OutBlocks) : (0, sumPuts);
        var productSeconds = (products * Fill(mt * co8) / hz) + Math.Max(callSeconds - lastCalls, filterBlocksIn - lastBlocksIn)
            + Math.Max(lastCalls, lastBlocksIn + hiddenPuts) + (filterBlocksIn / calls);
        var operandIn = tileGets + exposedPuts;

        var channels = steps * plan.OutBlocks * nt;
        var sumsIn = Gets(channels * Cpes, channels * Cpes * (s.SumsByPosition && co8 > 1 ? positions : 1), channels * Cpes * positions * mt * eb, 1);
        var outputBytes = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * c.OutWidth * eb;
        var putRows = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * plan.ColumnSegments;
        var putRequests = (double)plan.ImagesPerGroup * c.OutChannels * plan.TileRows * plan.ColumnSegments;
        var output = Puts(putRequests, plan.SegmentsSpanRows ? putRequests : putRows, outputBytes, shared);

        var waits = (steps * plan.InBlocks * 2) + (products * (plan.GemmBlocks + 1)) + calls + (channels * 2);
        return new WinogradGemmCost
        {
            GemmCalls = calls,
            GetBytes = inputBytes + tileBytes + filterBlockBytes + (channels * Cpes * positions * mt * eb),
            PutBytes = vBytes + sumBytes + outputBytes,
            FilterTransformSeconds = filterBlocks * filterBlock / hz,
            InputTransformSeconds = steps * plan.InBlocks * inputBlock / hz,
            ProductSeconds = productSeconds,
            OutputTransformSeconds = steps * plan.OutBlocks * nt * perChannel / hz,
            FilterDmaSeconds = filters * 1e-9,
            InputGetSeconds = input * 1e-9,
            TilePutSeconds = tilesOut * 1e-9,
            ProductDmaSeconds = operandIn * 1e-9,
            SumGetSeconds = sumsIn * 1e-9,
            OutputPutSeconds = output * 1e-9,
            FilterWaitSeconds = filterBlocks * 2 * dma.LatencyNanoseconds * 1e-9,
            WaitSeconds = waits * dma.LatencyNanoseconds * 1e-9,
            FixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / hz,
        };
    }

    /// <summary>
    /// What an image's segments read of one input channel: the rows of tiles that read some of its rows and the sum of the
    /// rows each reads (alpha, fewer at the image's top and bottom), and the segments along a row of tiles that read some of
    /// its columns and the sum of the columns each reads (fewer at its left and right).
    /// </summary>
    private static (long TileRows, long Rows, long ColumnSegments, long Columns) InputReads(WinogradGemmPlan plan)
    {
        var c = plan.Conv;
        long tileRows = 0, rows = 0, columnSegments = 0, columns = 0;
        for (var ty = 0L; ty < plan.TileRows; ty++)
        {
            var first = (ty * plan.M) - c.Padding.Top;
            var vr = Math.Clamp(Math.Min(c.Height, first + plan.Alpha) - Math.Max(0, first), 0, plan.Alpha);
            (tileRows, rows) = (tileRows + (vr > 0 ? 1 : 0), rows + vr);
        }

        var span = (long)plan.Schedule.TileColumns * plan.M;
        for (var tx = 0L; tx < plan.ColumnSegments; tx++)
        {
            var c0 = (tx * span) - c.Padding.Left;
            var vw = Math.Clamp(Math.Min(c.Width, c0 + plan.RowStride) - Math.Max(0, c0), 0, plan.InputColumns);
            (columnSegments, columns) = (columnSegments + (vw > 0 ? 1 : 0), columns + vw);
        }

        return (tileRows, rows, columnSegments, columns);
    }
}
