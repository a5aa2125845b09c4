using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>The price of an explicit im2col plan with the column block in LDM.</summary>
public sealed partial class Sw26010CostModel
{
    /// <inheritdoc/>
    CostAccount ISchedulePlanVisitor<CostAccount>.VisitIm2colLdm(Im2colLdmPlan plan) => Account(plan);

    /// <summary>
    /// The counts and times behind <see cref="Estimate"/> for an explicit im2col plan with the column block in LDM, for
    /// the core group with the most images, from the primitives' cycle models and the DMA model's figures (no emulation).
    /// Compute, per group, output block and tile: the accumulators' fill, and per tap block the weights' fill (when they
    /// are not gotten once before the tiles), a CPE's most taps' transposes (one an output row of the CPE), the spans'
    /// fills for rows of padding, and one mesh GEMM call (with <see cref="Im2colLdmSchedule.CopyTaps"/>, A's fill and a
    /// multiply-accumulate call an output row and tap instead of the transposes). DMA, every CPE's through the one controller: per tile and tap
    /// block one get a (channel, tap row) pair a CPE reaches, output row of the CPE and input row inside the image (a
    /// block each; with <see cref="Im2colLdmPlan.StridedRowGets"/>, one get a pair and CPE whose rows lie in the output, a
    /// block a row), the tiles being a group's images over <see cref="Im2colLdmSchedule.ImagesPerTile"/> by an image's tiles, the weights' gets (one a CPE and valid output channel, once a group and output block when hoisted),
    /// and one put a CPE, valid output channel and tile whose rows reach into the output. The mesh GEMM keeps the CPEs
    /// in step and each tap block waits for its gets, and without <see cref="Im2colLdmSchedule.OverlapPuts"/> each tile
    /// for its puts, so the estimate is the compute, plus the controller's time, plus a latency a wait, plus spawn and
    /// join; with overlapped puts, only each output block's last tile's puts and what the puts take beyond the compute add,
    /// and each tap block's gets are issued during the one before (<see cref="Im2colLdmPlan.Prefetches"/>), so only the
    /// first block's gets and the controller's time beyond the compute add, or, when more, the waits of each tile's second
    /// block for the tile before's puts queued ahead of its gets and of each block for what its gets take beyond its compute; the weights then come in one strided get a CPE
    /// and whole run of taps (<see cref="Im2colLdmPlan.PipelinesWeights"/>), a request for all its channels' blocks.
    /// An epilogue adds, per tile, its element-wise calls on the accumulators and, with a bias, one get of a CPE's bias
    /// (its valid output channels) and a wait a group and output block. A channel's rows a get past the right edge
    /// (<see cref="Im2colLdmSchedule.ChannelRowsPastEdge"/>) is counted as <see cref="Im2colLdmPlan.ChannelRowGets"/> is,
    /// its columns past the edge zeroed after a transpose or left out of a copied tap's call; with
    /// <see cref="Im2colLdmSchedule.RowsAcrossImages"/> the compute runs <see cref="Im2colLdmPlan.TilesPerGroup"/> whole
    /// tiles and the gets and puts are those of the CPEs' rows inside the images.
    /// </summary>
    public CostAccount Account(Im2colLdmPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timing = _spec.Timing;
        var dma = timing.Dma;
        var lanes = _spec.SimdLanes;
        var c = plan.Conv;
        var s = plan.Schedule;
        var hz = _spec.ClockHz;
        long kt = plan.BlockTaps, nt = plan.BlockOut, r = s.RowsPerCpe;
        int kw = c.Kernel.Width, kh = c.Kernel.Height, sw = Math.Max(1, c.Stride.Width), mesh = Im2colLdmPlan.Mesh;
        var eb = plan.ElementBytes;
        var (_, lo, hi) = plan.SpanColumns;
        var runBytes = (double)Math.Max(0, hi - lo) * eb;

        // Of each tap row, the share of the output rows a CPE takes (the tiles' rows, past the output's last in the last tile) whose input row lies inside the image.
        // With rows across images, a tile takes no rows past an image's output (but in the group's last tile).
        var inside = new double[kh];
        var blockStarts = RowBlockStarts(plan);
        for (var y = 0; y < kh; y++)
        {
            var count = 0;
            foreach (var start in blockStarts)
            {
                for (var oh = start; oh < start + r; oh++)
                {
                    var ih = (oh * c.Stride.Height) - c.Padding.Top + (y * c.Dilation.Height);
                    count += ih >= 0 && ih < c.Height ? 1 : 0;
                }
            }

            inside[y] = (double)count / (blockStarts.Length * r);
        }

        // Per tap block: the pairs every CPE column reaches (each CPE of the column gets them), weighted by rows inside;
        // the most taps a CPE gathers; the weights' requests and bytes of the whole mesh.
        double pairGets = 0, pairs = 0, weightGets = 0, weightBytes = 0, wholeRuns = 0, channels = 0;
        var paddingFillCycles = new double[plan.TapBlocks * mesh];
        var copyCycles = new double[plan.TapBlocks * mesh];
        long mostTaps = 0;
        var validChannels = new long[plan.OutBlocks];
        double biasColumns = 0;
        for (var nb = 0; nb < plan.OutBlocks; nb++)
        {
            for (var j = 0; j < mesh; j++)
            {
                var first = ((long)nb * s.OutBlock) + (j * nt);
                validChannels[nb] += Math.Clamp(c.OutChannelsPerGroup - first, 0, nt);
                biasColumns += first < c.OutChannelsPerGroup ? 1 : 0;
            }
        }

        for (var kb = 0; kb < plan.TapBlocks; kb++)
        {
            for (var j = 0; j < mesh; j++)
            {
                var k0 = ((long)kb * s.InBlock) + (j * kt);
                var kend = Math.Min(k0 + kt, plan.Taps);
                if (k0 >= kend)
                {
                    continue;
                }

                mostTaps = Math.Max(mostTaps, kend - k0);
                channels += ((kend - 1) / (kh * kw)) - (k0 / (kh * kw)) + 1;
                for (var k = k0; k < kend; k++)
                {
                    // A channel's rows a get: the columns that read the padding zeroed after a transpose, or left out of a copy's run.
                    var (left, right) = plan.ChannelRowGets ? (plan.LeftPaddingColumns((int)(k % kw)), plan.RightPaddingColumns((int)(k % kw))) : (0, 0);
                    paddingFillCycles[(kb * mesh) + j] += s.CopyTaps ? 0
                        : (left > 0 ? FillPrimitive.Cycles(timing, lanes, left) : 0) + (right > 0 ? FillPrimitive.Cycles(timing, lanes, right) : 0);
                    copyCycles[(kb * mesh) + j] += s.CopyTaps ? MultiplyAccumulatePrimitive.Cycles(timing, lanes, c.OutWidth - left - right, 1, 1) : 0;
                }

                for (var p = k0 / kw; p * kw < kend; p++)
                {
                    pairs++;
                    pairGets += inside[p % kh];
                }

                // Mesh row j's run of the weights (the weights' rows are the taps of block i: the same cuts).
                weightGets += 1;
                weightBytes += (kend - k0) * eb;
                wholeRuns += kend - k0 == kt ? 1 : 0;
            }
        }

        // Each valid output channel of a block gets the weights' runs of every mesh row (counted above over the tap blocks).
        var blockSteps = (double)c.Groups * plan.OutBlocks;
        var tiles = (double)plan.TilesPerGroup;
        var loads = c.Groups * (plan.WeightsHoisted ? 1 : tiles);
        var weightBlocks = loads * validChannels.Sum() * weightGets;

        // Pipelined, a CPE's whole run of taps is one strided get of its valid channels (the mesh columns with any), a shorter run one get a channel.
        var weightRequests = plan.PipelinesWeights || s.ResidentWeights ? loads * ((biasColumns * wholeRuns) + (validChannels.Sum() * (weightGets - wholeRuns))) : weightBlocks;
        var weightByteTotal = loads * validChannels.Sum() * weightBytes;

        // Strided, a CPE gets a pair's rows in one request (a block a row) when they lie in the output, and zeroes its spans when not.
        var rowsInOutput = PutRowsPerTile(plan);
        // With a channel's rows in one get, a CPE gets each channel its taps reach once, the rows inside the image.
        var (slotGets, slotBytes, slotFills) = ChannelSlots(plan);
        // With rows across images, the tiles' worth of a CPE's row blocks inside the images: the group's last tile's mesh rows
        // past its last image read (almost) nothing.
        var rowTiles = s.RowsAcrossImages ? (double)plan.ImagesPerGroup * c.OutHeight / (r * mesh) : tiles;
        var inputRequests = plan.ChannelRowGets ? blockSteps * rowTiles * channels * slotGets
            : plan.StridedRowGets ? blockSteps * rowTiles * rowsInOutput * pairs : blockSteps * rowTiles * mesh * r * pairGets;
        var inputBlocks = plan.StridedRowGets ? inputRequests * r : inputRequests;
        var inputBytes = plan.ChannelRowGets ? blockSteps * rowTiles * channels * slotBytes * eb : inputBlocks * runBytes;
        var outputBytes = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * c.OutWidth * eb;
        var putRequests = s.RowsAcrossImages ? (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight / r
            : (double)plan.ImagesPerGroup / s.ImagesPerTile * c.OutChannels * plan.TilesPerImage * rowsInOutput;

        // The bias: each CPE of a mesh column with valid channels gets them once a group and output block.
        var biasRequests = plan.HasBias ? c.Groups * biasColumns * mesh : 0;
        var biasBytes = plan.HasBias ? (double)c.Groups * validChannels.Sum() * mesh * eb : 0;

        var gemm = MeshGemmPrimitive.Cycles(timing, mesh * plan.BlockRows, s.OutBlock, s.InBlock, plan.Operator.ElementType);
        var gather = s.CopyTaps
            ? FillPrimitive.Cycles(timing, lanes, (long)plan.BlockRows * kt) + (r * (plan.ChannelRowGets ? copyCycles.Max() : mostTaps * MultiplyAccumulatePrimitive.Cycles(timing, lanes, c.OutWidth, 1, 1)))
            : mostTaps * r * TransposePrimitive.Cycles(timing, lanes, sw, c.OutWidth);
        var paddingFills = plan.ChannelRowGets
            ? channels / mesh * slotFills / mesh * FillPrimitive.Cycles(timing, lanes, (long)plan.SlotRows * c.Width / 2)
            : plan.StridedRowGets
            ? pairs / mesh * (1 - (rowsInOutput / mesh)) * FillPrimitive.Cycles(timing, lanes, r * plan.SpanElements)
            : (pairs - pairGets) / mesh * r * FillPrimitive.Cycles(timing, lanes, plan.SpanElements);
        if (plan.ChannelRowGets)
        {
            // The gathers of the CPE with the most taps, and the padding zeroed after each gather of a tap that reads it.
            gather += r * paddingFillCycles.Max();
        }
        var perTapBlock = gemm + gather + (plan.WeightsHoisted ? 0 : FillPrimitive.Cycles(timing, lanes, plan.WeightElements));
        var perTile = FillPrimitive.Cycles(timing, lanes, plan.AccumulatorElements) + (plan.TapBlocks * perTapBlock) + paddingFills + Im2colLdmEpilogueCycles(plan, lanes);
        var biasFill = plan.HasBias ? FillPrimitive.Cycles(timing, lanes, plan.BiasElements) : 0;
        var compute = ((blockSteps * tiles * perTile) + (blockSteps * ((plan.WeightsHoisted ? FillPrimitive.Cycles(timing, lanes, plan.WeightBufferElements) : 0) + biasFill))
            + FillPrimitive.Cycles(timing, lanes, plan.ColumnElements)) / hz;

        // Every tensor in the shared memory, or (GroupMemory) in the groups' own memories.
        var factor = SharedFactor(plan);
        var bytesGet = dma.GetNanosecondsPerByte * factor;
        var getSeconds = (((inputRequests + weightRequests + biasRequests) * dma.RequestNanoseconds) + ((inputBlocks + weightBlocks + biasRequests) * dma.GetBlockNanoseconds)
            + ((inputBytes + weightByteTotal + biasBytes) * bytesGet)) * 1e-9;
        var putSeconds = ((putRequests * (dma.RequestNanoseconds + dma.PutBlockNanoseconds)) + (outputBytes * dma.PutNanosecondsPerByte * factor)) * 1e-9;
        var waits = ((blockSteps * tiles * (plan.TapBlocks * (plan.WeightsHoisted ? 1 : 2) + 1)) + (plan.WeightsHoisted ? blockSteps : 0) + (plan.HasBias ? blockSteps : 0)) * dma.LatencyNanoseconds * 1e-9;
        var controller = getSeconds + putSeconds;

        // Overlapped, a tile's puts run under the next tile's compute but for each output block's last tile; what exceeds the compute adds.
        var lastPuts = putSeconds / tiles;
        var exposedPuts = s.OverlapPuts ? lastPuts + Math.Max(0, putSeconds - lastPuts - compute) : putSeconds;
        var exposed = getSeconds + exposedPuts;
        if (plan.PipelinesTaps && s.SpreadPuts)
        {
            // Weights gotten once before the tiles are waited for there, not under the compute.
            var hoisted = plan.WeightsHoisted ? WeightGetSeconds(dma, weightRequests, weightBlocks, weightByteTotal * factor) : 0;
            exposed = hoisted + PipelinedTapsExposure(plan, blockSteps * tiles, perTapBlock / hz, getSeconds - hoisted, putSeconds);
        }
        else if (plan.Prefetches)
        {
            // The next tile's gets and this tile's puts stream behind the compute: the controller's time beyond it adds, and the first tile's gets and the last tile's puts.
            // Pipelined, the tile before's puts (of the same output block) are queued ahead of a tile's second tap block's gets (its
            // first block's were issued the tile before): that block waits for them unless one block's compute covers them; each
            // later block waits for what its gets take beyond its compute. With one tap block, the next tile's gets go ahead of the puts.
            var firstGets = getSeconds / (tiles * plan.TapBlocks);
            var steps = blockSteps * tiles;
            var (tilePuts, blockGets, blockCompute) = (putSeconds / steps, getSeconds / (steps * plan.TapBlocks), perTapBlock / hz);
            var stalls = plan.PipelinesTaps
                ? (blockSteps * (tiles - 1) * Math.Max(0, tilePuts + blockGets - blockCompute)) + (steps * (plan.TapBlocks - 1) * Math.Max(0, blockGets - blockCompute))
                : 0;
            exposed = Math.Min(controller, firstGets + lastPuts + Math.Max(stalls, controller - firstGets - lastPuts - compute));
        }

        var seconds = compute + exposed + waits + ((timing.SpawnCycles + timing.JoinCycles) / hz);
        return new CostAccount(blockSteps * tiles * plan.TapBlocks, inputBytes + weightByteTotal + biasBytes, outputBytes, compute, controller - exposed, exposed, seconds);
    }

    /// <summary>
    /// The seconds the CPEs wait for the controller with the tap blocks pipelined (<see cref="Im2colLdmPlan.PipelinesTaps"/>),
    /// the controller serving requests in the order they come: each tap block's compute (<paramref name="block"/>) runs while
    /// the next block's gets stream, issued just before it, so a block takes the longer of the two. Spread
    /// (<see cref="Im2colLdmSchedule.SpreadPuts"/>), a part of the tile before's puts lies in the queue ahead of each block's
    /// gets. (Not spread, a tile's puts, issued at its end, lie ahead of the next tile's second block's gets, so that block
    /// waits for all of them; the account prices those schedules as before, by the controller's time beyond the compute,
    /// which on VGG-16's conv2_1 is 0.81 times the emulator's, and uses this form only for spread puts.) An output block's
    /// first tile has no puts before it; its first block's gets and its last tile's puts add. <paramref name="gets"/> are the gets that run with the tiles (not the
    /// weights gotten once before them), <paramref name="puts"/> all the puts.
    /// </summary>
    private static double PipelinedTapsExposure(Im2colLdmPlan plan, double tileCount, double block, double gets, double puts)
    {
        var taps = plan.TapBlocks;
        var blockGets = gets / (tileCount * taps);
        var tilePuts = puts / tileCount;
        var tile = plan.Schedule.SpreadPuts
            ? taps * Math.Max(block, blockGets + (tilePuts / taps))
            : Math.Max(block, blockGets + tilePuts) + ((taps - 1) * Math.Max(block, blockGets));
        var first = taps * Math.Max(block, blockGets);
        var outputBlocks = (double)plan.Conv.Groups * plan.OutBlocks;
        return ((tileCount - outputBlocks) * (tile - (taps * block))) + (outputBlocks * (first - (taps * block) + blockGets + tilePuts));
    }

    /// <summary>The controller's seconds for the weights' gets: <paramref name="requests"/> requests of <paramref name="blocks"/> blocks and <paramref name="bytes"/> bytes, each a byte of the group's own memory (weighted by <see cref="SharedFactor"/> by the caller).</summary>
    private static double WeightGetSeconds(DmaTimingModel dma, double requests, double blocks, double bytes) =>
        ((requests * dma.RequestNanoseconds) + (blocks * dma.GetBlockNanoseconds) + (bytes * dma.GetNanosecondsPerByte)) * 1e-9;

    /// <summary>What a byte of <paramref name="plan"/>'s tensors costs the controller against one of the group's own memory: the cross-segment factor in place, 1 in the groups' memories (<see cref="Im2colLdmSchedule.GroupMemory"/>).</summary>
    private double SharedFactor(Im2colLdmPlan plan) => plan.Schedule.GroupMemory ? 1 : _spec.Timing.Dma.CrossSegmentByteFactor;

    /// <summary>
    /// The cycles of a tile's epilogue on a CPE's accumulators (<see cref="Im2colLdmPlan.BlockRows"/> positions by
    /// <see cref="Im2colLdmPlan.BlockOut"/> channels): a bias added per channel and each clamp, as the lowering calls them.
    /// </summary>
    private double Im2colLdmEpilogueCycles(Im2colLdmPlan plan, int lanes)
    {
        var count = plan.AccumulatorElements;
        var cycles = 0.0;
        foreach (var step in plan.Operator.Epilogue.Steps)
        {
            (ElementwiseOp Op, ElementwiseOperandKind Kind)? call = step switch
            {
                Core.BiasStep => (ElementwiseOp.Add, ElementwiseOperandKind.PerColumn),
                Core.ClipStep { HasMin: true, HasMax: true } => (ElementwiseOp.Clamp, ElementwiseOperandKind.Scalar),
                Core.ClipStep { HasMin: true } => (ElementwiseOp.Maximum, ElementwiseOperandKind.Scalar),
                Core.ClipStep { HasMax: true } => (ElementwiseOp.Minimum, ElementwiseOperandKind.Scalar),
                _ => null,
            };
            if (call is { } e)
            {
                cycles += ElementwisePrimitive.Cycles(_spec.Timing, lanes, e.Op, count, e.Kind == ElementwiseOperandKind.Scalar ? count : plan.BlockRows, e.Op == ElementwiseOp.Clamp ? [e.Kind, e.Kind] : [e.Kind]);
            }
        }

        return cycles;
    }

    /// <summary>
    /// With <see cref="Im2colLdmPlan.ChannelRowGets"/>, per tile and channel a CPE reaches, summed over the mesh's rows and
    /// averaged over the blocks of a CPE's rows (<see cref="RowBlockStarts"/>): the gets (a CPE whose rows read a row inside
    /// the image), the elements gotten, and the slots with rows of padding zeroed. Zeros otherwise.
    /// </summary>
    private static (double Gets, double Elements, double Fills) ChannelSlots(Im2colLdmPlan plan)
    {
        if (!plan.ChannelRowGets)
        {
            return (0, 0, 0);
        }

        var c = plan.Conv;
        double gets = 0, elements = 0, fills = 0;
        var starts = RowBlockStarts(plan);
        foreach (var oh0 in starts)
        {
            var ih0 = (oh0 * Math.Max(1, c.Stride.Height)) - c.Padding.Top;
            var lo = Math.Max(0, -ih0);
            var hi = Math.Min(plan.SlotRows, c.Height - ih0);
            gets += lo < hi ? 1 : 0;
            elements += lo < hi ? (double)(hi - lo) * c.Width : 0;
            fills += lo >= hi || lo > 0 || hi < plan.SlotRows ? 1 : 0;
        }

        double perTile = (double)Im2colLdmPlan.Mesh / starts.Length;
        return (gets * perTile, elements * perTile, fills * perTile);
    }

    /// <summary>Puts of one output channel in a tile: the mesh rows whose first output row lies inside the output (of each of the tile's images), averaged over the blocks of a CPE's rows (<see cref="RowBlockStarts"/>).</summary>
    private static double PutRowsPerTile(Im2colLdmPlan plan)
    {
        var starts = RowBlockStarts(plan);
        return (double)starts.Count(start => start < plan.Conv.OutHeight) * Im2colLdmPlan.Mesh / starts.Length;
    }

    /// <summary>
    /// The first output rows of the blocks of <see cref="Im2colLdmSchedule.RowsPerCpe"/> rows the mesh rows take over the
    /// tiles that repeat: an image's tiles, each mesh row's (past the output's last row in the last tile); with
    /// <see cref="Im2colLdmSchedule.RowsAcrossImages"/>, an image's rows, no block past them.
    /// </summary>
    private static int[] RowBlockStarts(Im2colLdmPlan plan)
    {
        var r = plan.Schedule.RowsPerCpe;
        if (plan.Schedule.RowsAcrossImages)
        {
            return [.. Enumerable.Range(0, plan.Conv.OutHeight / r).Select(k => k * r)];
        }

        return [.. Enumerable.Range(0, plan.TilesPerImage * Im2colLdmPlan.Mesh).Select(b => ((b / Im2colLdmPlan.Mesh) * plan.TileRows) + (b % Im2colLdmPlan.Mesh % plan.MeshRowsPerImage * r))];
    }
}
