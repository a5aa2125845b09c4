using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>The price of a Winograd plan.</summary>
public sealed partial class Sw26010CostModel
{
    /// <inheritdoc/>
    CostAccount ISchedulePlanVisitor<CostAccount>.VisitWinograd(WinogradPlan plan) => Account(plan);

    /// <summary>
    /// The counts and times behind <see cref="Estimate"/> for a Winograd plan, for the core group with the most
    /// images, from the primitives' cycle models and the DMA model's figures (no emulation). Compute: per task and
    /// input block, the fills of the scratch stages, the filter transform (alpha x 3 calls at a stride of 9, then
    /// alpha^2), the input's column transform (alpha calls a channel over the input columns), its row transform
    /// (alpha^2 calls at a stride of m) and the products (alpha^2 calls an output channel, the block's input
    /// channels as taps); per task, the accumulators' fill, the output transform (m x alpha and m x m calls) and m
    /// transposes. Every task counts as an interior one: all alpha input rows and the task's input columns. The
    /// tasks are dealt to the 64 CPEs in turn, so a CPE computes its share, rounded up to whole tasks. DMA: per
    /// task and input block, one get of the filters (a block an output channel) and one of the input rows (a
    /// request a channel, a block a row); per task one put a valid output row and channel; every CPE's through
    /// the one controller, the tensors' bytes in the shared memory. A CPE waits for its own transfers (single
    /// buffers); the others' overlap its compute. The estimate is the 3-norm of the per-CPE time and the
    /// controller's, plus spawn and join.
    /// </summary>
    public CostAccount Account(WinogradPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timing = _spec.Timing;
        var dma = timing.Dma;
        var lanes = _spec.SimdLanes;
        var c = plan.Conv;
        var s = plan.Schedule;
        int m = plan.M, alpha = plan.Alpha, positions = plan.Transforms.Positions;
        long kb = s.InBlock, cb = s.OutBlock, tw = plan.TileStride, pairs = plan.Pairs, block = cb * tw;
        double Mac(long count, long taps, long stride) => MultiplyAccumulatePrimitive.Cycles(timing, lanes, count, taps, stride);
        double Fill(long elements) => FillPrimitive.Cycles(timing, lanes, elements);

        var columns = Math.Min(c.Width, plan.RowStride);
        var perBlock = Fill(plan.HalfFilterElements) + Fill(plan.FilterElements) + Fill(plan.ColumnElements) + Fill(plan.TileElements)
            + (alpha * 3 * Mac(pairs, 3, 9)) + (positions * Mac(pairs, 3, 1))
            + (alpha * kb * Mac(columns, alpha, 1)) + (positions * Mac(kb * tw, alpha, m))
            + (positions * cb * Mac(tw, kb, 1));
        var perTask = (plan.InBlocks * perBlock) + Fill(plan.AccumulatorElements) + Fill(plan.HalfOutputElements) + Fill(plan.OutputTileElements)
            + (m * alpha * Mac(block, alpha, 1)) + (m * m * Mac(block, alpha, 1)) + (m * TransposePrimitive.Cycles(timing, lanes, block, m));
        var calls = (double)plan.Tasks * plan.InBlocks * ((alpha * 3) + positions + (alpha * kb) + positions + (positions * cb));

        var tasks = (double)plan.Tasks;
        var perCpeTasks = Math.Ceiling(tasks / Cpes);
        var compute = perCpeTasks * perTask / _spec.ClockHz;

        var eb = plan.ElementBytes;
        var rows = Math.Min(alpha, c.Height);
        var filterBytes = tasks * plan.InBlocks * plan.RawFilterElements * eb;
        var inputBytes = tasks * plan.InBlocks * kb * rows * columns * eb;
        var outputBytes = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * c.OutWidth * eb;
        var putRows = (double)plan.ImagesPerGroup * c.OutChannels * c.OutHeight * plan.ColumnTasks;
        var getSeconds = ((tasks * plan.InBlocks * (1 + kb) * dma.RequestNanoseconds) + (tasks * plan.InBlocks * (cb + (kb * rows)) * dma.GetBlockNanoseconds)
            + ((filterBytes + inputBytes) * dma.GetNanosecondsPerByte * dma.CrossSegmentByteFactor)) * 1e-9;
        var putSeconds = ((putRows * (dma.RequestNanoseconds + dma.PutBlockNanoseconds)) + (outputBytes * dma.PutNanosecondsPerByte * dma.CrossSegmentByteFactor)) * 1e-9;
        var controller = getSeconds + putSeconds;
        var waits = perCpeTasks * ((2 * plan.InBlocks) + 1);
        var perCpe = compute + (controller / Cpes) + (waits * dma.LatencyNanoseconds * 1e-9);
        var fixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / _spec.ClockHz;
        var seconds = Math.Cbrt((perCpe * perCpe * perCpe) + (controller * controller * controller)) + fixedSeconds;
        return new CostAccount(calls, filterBytes + inputBytes, outputBytes, compute, 0, controller, seconds);
    }
}
