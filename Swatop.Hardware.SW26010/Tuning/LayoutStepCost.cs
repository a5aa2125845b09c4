using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The analytic price of a layout step on one core group, from its tiling alone: every tile's get and
/// put as the boundary pass lowers them (one strided request for a whole tile, a request per column for a
/// border tile), served one after another by the group's memory controller, which the 64 CPEs share; a
/// transfer to or from the shared memory pays its bytes <see cref="Timing.DmaTimingModel.CrossSegmentByteFactor"/>
/// times. Transposes run on the CPEs while the controller serves others, so the step takes the longer of
/// the two, plus spawn and join.
/// </summary>
internal static class LayoutStepCost
{
    /// <summary>The estimated seconds of <paramref name="step"/> with its source or destination in the shared memory as flagged.</summary>
    public static double Seconds(Sw26010Spec spec, LayoutStep step, LayoutStepTiling tiling, bool sourceShared, bool destinationShared)
    {
        var dma = spec.Timing.Dma;
        var bytes = step.ElementBytes;
        var rank = step.Tensor.Rank;
        double tiles = step.Share is SplitDistribution split ? step.Tensor.Shape[split.Dimension] / (split.Stride * split.Extent) : 1;
        double interior = tiles;
        var fraction = 1.0;
        for (var d = 0; d < rank; d++)
        {
            var length = (double)LayoutStepTiling.GroupExtent(step, tiling.Ranges[d], d);

            var count = Math.Ceiling(length / tiling.Tiles[d]);
            tiles *= count;
            interior *= Math.Floor(length / tiling.Tiles[d]);
            fraction *= count > 0 ? length / (count * tiling.Tiles[d]) : 0;
        }

        var border = tiles - interior;
        var elements = tiles * tiling.TileElements * fraction;
        var getFactor = sourceShared ? dma.CrossSegmentByteFactor : 1;
        var putFactor = destinationShared ? dma.CrossSegmentByteFactor : 1;

        // Requests and blocks: a whole tile is one strided request (a merged put, one per merged row group);
        // a border tile moves column by column.
        var getColumns = tiling.Columns;
        var putColumns = tiling.Transposes ? tiling.Rows : tiling.Columns;
        var putRequests = tiling.Transposes && tiling.MergedDimension >= 0 ? tiling.Tiles[tiling.MergedDimension] : 1;
        var requests = (interior * (1 + putRequests)) + (border * (getColumns + putColumns));
        var controller = (requests * dma.RequestNanoseconds)
            + (tiles * ((getColumns * dma.GetBlockNanoseconds) + (putColumns * dma.PutBlockNanoseconds)))
            + (elements * bytes * ((dma.GetNanosecondsPerByte * getFactor) + (dma.PutNanosecondsPerByte * putFactor)));
        var cpes = spec.CpesPerCoreGroup;
        var perCpeTiles = Math.Ceiling(tiles / cpes);
        var compute = tiling.Transposes ? perCpeTiles * TransposePrimitive.Cycles(spec.Timing, spec.SimdLanes, tiling.Rows, tiling.Columns) / spec.ClockHz : 0;
        var fixedSeconds = (spec.Timing.SpawnCycles + spec.Timing.JoinCycles) / spec.ClockHz;
        return Math.Max(controller * 1e-9, compute) + fixedSeconds;
    }
}
