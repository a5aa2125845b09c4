using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The least time a layout step can take on the chip: the bytes its busiest core group moves, each read
/// once and written once, at the plateau of the DMA model's gets and puts (its byte costs alone: no
/// request, block or latency cost), a byte to or from the shared memory at
/// <see cref="Timing.DmaTimingModel.CrossSegmentByteFactor"/> times a local one. The core groups run at
/// once, each with its own memory controller. Spawn and join are left out. A step's time over this bound
/// says how well its tiles use the DMA engine.
/// </summary>
public static class LayoutStepPlateau
{
    /// <summary>The elements the busiest core group of <paramref name="step"/> moves: the framework elements both layouts hold, or its share of them.</summary>
    public static long Elements(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var tiling = LayoutStepTiling.For(step, 64 * 1024); // only its ranges are read, which no budget changes
        long elements = step.Share is SplitDistribution split ? step.Tensor.Shape[split.Dimension] / (split.Stride * split.Extent) : 1;
        for (var d = 0; d < step.Tensor.Rank; d++)
        {
            elements *= LayoutStepTiling.GroupExtent(step, tiling.Ranges[d], d);
        }

        return elements;
    }

    /// <summary>The bytes the busiest core group of <paramref name="step"/> reads (and as many it writes).</summary>
    public static long Bytes(LayoutStep step) => Elements(step) * step.ElementBytes;

    /// <summary>The plateau seconds of <paramref name="step"/> with its source or destination in the shared memory as flagged.</summary>
    public static double Seconds(Sw26010Spec spec, LayoutStep step, bool sourceShared, bool destinationShared)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dma = spec.Timing.Dma;
        var get = dma.GetNanosecondsPerByte * (sourceShared ? dma.CrossSegmentByteFactor : 1);
        var put = dma.PutNanosecondsPerByte * (destinationShared ? dma.CrossSegmentByteFactor : 1);
        return Bytes(step) * (get + put) * 1e-9;
    }
}
