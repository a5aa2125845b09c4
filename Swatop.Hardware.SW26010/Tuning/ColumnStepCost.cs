using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The analytic price of the column step (<see cref="ColumnStepLowering"/>) on one core group, from its shape
/// alone: each task whose input row lies in the tensor gets that row's run (a request and a block, its bytes
/// from the shared memory at <see cref="Timing.DmaTimingModel.CrossSegmentByteFactor"/> times a local byte's) and
/// puts one output row a tap column (a request and a block each); tasks whose row is padding move nothing. The
/// 64 CPEs share the group's memory controller, which serves all of it in turn; their fills and transposes run
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
        double images = shape[0], rows = window.OutHeight;
        if (step.Share is SplitDistribution split)
        {
            var share = (double)Math.Min(split.PositionsPerGroup, split.Extent);
            (images, rows) = split.Dimension == 0 ? (share, rows) : (images, share);
        }

        // Tasks whose input row lies in the tensor, over the group's output rows (a share of them, as an average).
        var inside = 0L;
        for (var kh = 0; kh < window.KernelHeight; kh++)
        {
            for (var oh = 0; oh < window.OutHeight; oh++)
            {
                var h = (oh * window.StrideHeight) + (kh * window.DilationHeight) - window.PadTop;
                inside += h >= 0 && h < height ? 1 : 0;
            }
        }

        var tasks = images * shape[1] * window.KernelHeight * rows;
        var moving = tasks * inside / ((double)window.KernelHeight * window.OutHeight);
        var span = ColumnStepLowering.LdmElements(window) - (window.StrideWidth > 1 ? (long)window.KernelWidth * window.StrideWidth * window.OutWidth : 0);
        long start = -window.PadLeft;
        var gotten = Math.Max(0, Math.Min(width, start + span) - Math.Max(0, start));
        var bytes = (double)step.ElementBytes;
        var puts = moving * window.KernelWidth;
        var controller = ((moving + puts) * dma.RequestNanoseconds) + (moving * dma.GetBlockNanoseconds) + (puts * dma.PutBlockNanoseconds)
            + (moving * gotten * bytes * dma.GetNanosecondsPerByte * dma.CrossSegmentByteFactor) + (puts * window.OutWidth * bytes * dma.PutNanosecondsPerByte);

        var perTask = (start < 0 || start + span > width ? FillPrimitive.Cycles(spec.Timing, spec.SimdLanes, span) : 0)
            + (window.StrideWidth > 1 ? window.KernelWidth * TransposePrimitive.Cycles(spec.Timing, spec.SimdLanes, window.StrideWidth, window.OutWidth) : 0);
        var compute = Math.Ceiling(moving / spec.CpesPerCoreGroup) * perTask / spec.ClockHz;
        var fixedSeconds = (spec.Timing.SpawnCycles + spec.Timing.JoinCycles) / spec.ClockHz;
        return Math.Max(controller * 1e-9, compute) + fixedSeconds;
    }
}
