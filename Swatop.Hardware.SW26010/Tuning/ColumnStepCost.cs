using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The analytic price of the column step (<see cref="ColumnStepLowering"/>) on one core group, from its shape
/// alone: each input row a task reads that lies in the tensor is got as one run (a request and a block, its bytes
/// from the shared memory at <see cref="Timing.DmaTimingModel.CrossSegmentByteFactor"/> times a local byte's), and
/// each task that reads some such row puts its output rows (<see cref="ColumnStepLowering.RowsPerTask"/> of them,
/// one after the other) a tap column (a request and a block each); tasks whose rows are all padding move nothing.
/// The 64 CPEs share the group's memory controller, which serves all of it in turn; their fills and transposes run
/// meanwhile, so the step takes the longer of the two, plus spawn and join.
/// </summary>
internal static class ColumnStepCost
{
    /// <summary>The estimated seconds of <paramref name="step"/>, a pack from the shared memory into a column matrix.</summary>
    public static double Seconds(Sw26010Spec spec, LayoutStep step)
    {
        var window = step.Destination.Window ?? throw new ArgumentException($"The step '{step}' does not lay out a column matrix.", nameof(step));
        var dma = spec.Timing.Dma;
        var shape = step.Tensor.Shape;
        var (height, width) = (shape[2], shape[3]);
        var perTask = ColumnStepLowering.RowsPerTask(step, spec.LdmPlanningBytes);
        double images = shape[0], rows = window.OutHeight;
        if (step.Share is SplitDistribution split)
        {
            var share = (double)Math.Min(split.PositionsPerGroup, split.Extent);
            (images, rows) = split.Dimension == 0 ? (share, rows) : (images, share);
        }

        // Over all output rows: the rows whose input row lies in the tensor, and the tasks with at least one such row;
        // a group's share of them as an average.
        long insideRows = 0, insideTasks = 0;
        for (var kh = 0; kh < window.KernelHeight; kh++)
        {
            for (var oh = 0; oh < window.OutHeight; oh += perTask)
            {
                var inTask = 0;
                for (var r = 0; r < perTask; r++)
                {
                    var h = ((oh + r) * window.StrideHeight) + (kh * window.DilationHeight) - window.PadTop;
                    inTask += h >= 0 && h < height ? 1 : 0;
                }

                insideRows += inTask;
                insideTasks += inTask > 0 ? 1 : 0;
            }
        }

        var planes = images * shape[1] * rows / window.OutHeight;
        var gets = planes * insideRows;
        var moving = planes * insideTasks;
        var span = ColumnStepLowering.LdmElements(window) - (window.StrideWidth > 1 ? (long)window.KernelWidth * window.StrideWidth * window.OutWidth : 0);
        long start = -window.PadLeft;
        var gotten = Math.Max(0, Math.Min(width, start + span) - Math.Max(0, start));
        var bytes = (double)step.ElementBytes;
        var puts = moving * window.KernelWidth;
        var controller = ((gets + puts) * dma.RequestNanoseconds) + (gets * dma.GetBlockNanoseconds) + (puts * dma.PutBlockNanoseconds)
            + (gets * gotten * bytes * dma.GetNanosecondsPerByte * dma.CrossSegmentByteFactor) + (puts * perTask * window.OutWidth * bytes * dma.PutNanosecondsPerByte);

        var fills = start < 0 || start + span > width || (perTask > 1 && ColumnStepLowering.RowsOutside(window, height));
        var gathers = window.StrideWidth > 1 || perTask > 1;
        var cycles = (fills ? FillPrimitive.Cycles(spec.Timing, spec.SimdLanes, perTask * span) : 0)
            + (gathers ? window.KernelWidth * perTask * TransposePrimitive.Cycles(spec.Timing, spec.SimdLanes, Math.Max(1, window.StrideWidth), window.OutWidth) : 0);
        var compute = Math.Ceiling(moving / spec.CpesPerCoreGroup) * cycles / spec.ClockHz;
        var fixedSeconds = (spec.Timing.SpawnCycles + spec.Timing.JoinCycles) / spec.ClockHz;
        return Math.Max(controller * 1e-9, compute) + fixedSeconds;
    }

    /// <summary>
    /// A lower bound of <see cref="Seconds"/> for every step that lays out <paramref name="step"/>'s column matrix from its
    /// tensor, whatever its arrangement, rows a task and split over at most <paramref name="coreGroups"/> core groups
    /// (its own arrangement and share are not read): the memory controller's time for a
    /// group's share of the planes (at least the planes over the groups), in which each output row whose input row lies
    /// in the tensor is got (a request, a block and its bytes) and put a tap column (its bytes), and each tap row with
    /// such a row puts at least one block a tap column; plus spawn and join. Rows a task only add rows outside the
    /// tensor and divide the puts' requests, so the bound counts the bytes of one row a task and the puts' requests of
    /// one task a tap row.
    /// </summary>
    public static double LowerBound(Sw26010Spec spec, LayoutStep step, int coreGroups)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(coreGroups, 1);
        var window = step.Destination.Window ?? throw new ArgumentException($"The step '{step}' does not lay out a column matrix.", nameof(step));
        var shape = step.Tensor.Shape;
        var elementBytes = step.ElementBytes;
        var dma = spec.Timing.Dma;
        var (height, width) = (shape[2], shape[3]);
        long insideRows = 0, insideTapRows = 0;
        for (var kh = 0; kh < window.KernelHeight; kh++)
        {
            var inside = 0;
            for (var oh = 0; oh < window.OutHeight; oh++)
            {
                var h = (oh * window.StrideHeight) + (kh * window.DilationHeight) - window.PadTop;
                inside += h >= 0 && h < height ? 1 : 0;
            }

            insideRows += inside;
            insideTapRows += inside > 0 ? 1 : 0;
        }

        var planes = (double)shape[0] * shape[1] / coreGroups;
        var span = ColumnStepLowering.LdmElements(window) - (window.StrideWidth > 1 ? (long)window.KernelWidth * window.StrideWidth * window.OutWidth : 0);
        long start = -window.PadLeft;
        var gotten = Math.Max(0, Math.Min(width, start + span) - Math.Max(0, start));
        var gets = planes * insideRows;
        var puts = planes * insideTapRows * window.KernelWidth;
        var controller = (gets * (dma.RequestNanoseconds + dma.GetBlockNanoseconds + (gotten * (double)elementBytes * dma.GetNanosecondsPerByte * dma.CrossSegmentByteFactor)))
            + (puts * (dma.RequestNanoseconds + dma.PutBlockNanoseconds))
            + (gets * window.KernelWidth * window.OutWidth * (double)elementBytes * dma.PutNanosecondsPerByte);
        return (controller * 1e-9) + ((spec.Timing.SpawnCycles + spec.Timing.JoinCycles) / spec.ClockHz);
    }
}
