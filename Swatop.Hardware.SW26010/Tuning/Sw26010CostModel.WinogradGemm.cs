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
    /// images, from the primitives' cycle models and the DMA model's figures (no emulation). Compute of a CPE: once a call,
    /// per conv group, output block and input block, the filters' transform (alpha x 3 calls at a stride of 9, then alpha^2)
    /// and its fills; per chunk and conv group, per input block the input's column transform (alpha calls a segment and
    /// channel, every segment an interior one) and row transform (alpha^2 calls at a stride of m) and their fills; per
    /// output block and position the C block's fill and the mesh GEMM calls; per output channel of a CPE's block the output
    /// transform (m x alpha and m x m calls), its fills and m transposes. DMA, every CPE's through its group's controller:
    /// the filters got once a call (a block an output channel) and U put (a request a position, a block an output
    /// channel); per chunk the input rows got as the fused form gets them but once (a get a segment and input channel
    /// that reads some of the input, a block a row), V put (a request an input block, a block a position); per output
    /// block and position V's A blocks and U's B blocks got (a request each a call, B a block an output channel) and the C
    /// block put (a block an output channel); per output channel its sums got (one block) and its rows put (a request and
    /// block a valid segment and row). The framework's tensors' bytes cost twice in the shared memory, the workspaces' in
    /// the group's own memory once.
    /// </summary>
    /// <remarks>
    /// Every buffer is single and every transfer is waited for before its data is used, so a CPE's time is its compute
    /// plus the controller's time for all 64 CPEs' transfers (the CPEs do alike and the mesh GEMM keeps them in step), plus
    /// a latency a wait, plus spawn and join.
    /// </remarks>
    public CostAccount Account(WinogradGemmPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timing = _spec.Timing;
        var dma = timing.Dma;
        var lanes = _spec.SimdLanes;
        var hz = _spec.ClockHz;
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha, positions = plan.Positions;
        long kt = plan.BlockIn, nt = plan.BlockOut, mt = plan.BlockTiles, gk = plan.BlockGemmIn, pairs = plan.Pairs, r = s.Segments;
        double eb = plan.ElementBytes;
        double Mac(long count, long taps, long stride) => MultiplyAccumulatePrimitive.Cycles(timing, lanes, count, taps, stride);
        double Fill(long elements) => FillPrimitive.Cycles(timing, lanes, elements);

        // Compute, cycles of one CPE.
        var filterBlocks = (double)c.Groups * plan.OutBlocks * plan.InBlocks;
        var filterBlock = Fill(plan.HalfFilterElements) + Fill(positions * pairs) + (alpha * 3 * Mac(pairs, 3, 9)) + (positions * Mac(pairs, 3, 1));
        var steps = (double)plan.Chunks * c.Groups;
        var inputBlock = Fill(plan.ColumnElements) + Fill(positions * mt * kt) + (r * kt * alpha * Mac(plan.InputColumns, alpha, 1)) + (positions * Mac(kt * mt, alpha, m));
        var gemm = MeshGemmPrimitive.Cycles(timing, s.TileChunk, s.OutBlock, s.GemmIn, plan.Operator.ElementType);
        var product = Fill(mt * nt) + (plan.GemmBlocks * gemm);
        var perChannel = Fill(plan.HalfOutputElements) + Fill(plan.OutputTileElements) + (m * alpha * Mac(mt, alpha, 1)) + (m * m * Mac(mt, alpha, 1))
            + (m * TransposePrimitive.Cycles(timing, lanes, mt, m));
        var products = steps * plan.OutBlocks * positions;
        var computeCycles = (filterBlocks * filterBlock) + (steps * ((plan.InBlocks * inputBlock) + (plan.OutBlocks * nt * perChannel))) + (products * product);

        // DMA, the controller's nanoseconds for all CPEs.
        var shared = dma.CrossSegmentByteFactor;
        double Gets(double requests, double blocks, double bytes, double factor) => (requests * dma.RequestNanoseconds) + (blocks * dma.GetBlockNanoseconds) + (bytes * dma.GetNanosecondsPerByte * factor);
        double Puts(double requests, double blocks, double bytes, double factor) => (requests * dma.RequestNanoseconds) + (blocks * dma.PutBlockNanoseconds) + (bytes * dma.PutNanosecondsPerByte * factor);
        var filterGetBytes = filterBlocks * Cpes * plan.RawFilterElements * eb;
        var filters = Gets(filterBlocks * Cpes, filterBlocks * Cpes * nt, filterGetBytes, shared)
            + Puts(filterBlocks * Cpes * positions, filterBlocks * Cpes * positions * nt, filterBlocks * Cpes * positions * pairs * eb, 1);

        var (tileRows, rowsRead, columnSegments, columnsRead) = InputReads(plan);
        var channelsRead = (double)plan.ImagesPerGroup * c.Groups * c.InChannelsPerGroup;
        var inputBytes = channelsRead * rowsRead * columnsRead * eb;
        var input = Gets(channelsRead * tileRows * columnSegments, channelsRead * rowsRead * columnSegments, inputBytes, shared);
        var vBytes = steps * plan.InBlocks * Cpes * positions * mt * kt * eb;
        var tilesOut = Puts(steps * plan.InBlocks * Cpes, steps * plan.InBlocks * Cpes * positions, vBytes, 1);

        var calls = products * plan.GemmBlocks;
        var operandBytes = calls * Cpes * ((mt * gk) + (gk * nt)) * eb;
        var sumBytes = products * Cpes * mt * nt * eb;
        var gemmTraffic = Gets(calls * Cpes * 2, calls * Cpes * (1 + nt), operandBytes, 1) + Puts(products * Cpes, products * Cpes * nt, sumBytes, 1);

        var channels = steps * plan.OutBlocks * nt;
        var sumsIn = Gets(channels * Cpes, channels * Cpes, channels * Cpes * positions * mt * eb, 1);
        var outputBytes = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * c.OutWidth * eb;
        var putRows = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * plan.ColumnSegments;
        var output = Puts(putRows, putRows, outputBytes, shared);

        var controller = (filters + input + tilesOut + gemmTraffic + sumsIn + output) * 1e-9;
        var compute = computeCycles / hz;
        var waits = (filterBlocks * 2) + (steps * plan.InBlocks * 2) + (products * (plan.GemmBlocks + 1)) + (channels * 2);
        var seconds = compute + controller + (waits * dma.LatencyNanoseconds * 1e-9) + ((timing.SpawnCycles + timing.JoinCycles) / hz);
        var getBytes = filterGetBytes + inputBytes + operandBytes + (channels * Cpes * positions * mt * eb);
        var putBytes = (filterBlocks * Cpes * positions * pairs * eb) + vBytes + sumBytes + outputBytes;
        return new CostAccount(calls, getBytes, putBytes, compute, 0, controller, seconds);
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
