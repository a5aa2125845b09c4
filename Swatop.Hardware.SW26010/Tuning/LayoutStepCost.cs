using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The analytic price of a layout step on one core group, from its tiling alone: every tile's get and put
/// as the step lowers them (a request per tile, or per merged column group for a get and per merged row group
/// for a put; a block per run unless the runs join; a border tile compacted, so priced as a whole one of its
/// valid extent), served one after another by the group's memory controller, which the 64 CPEs share; a
/// transfer to or from the shared memory pays its bytes <see cref="Timing.DmaTimingModel.CrossSegmentByteFactor"/>
/// times, and a copy into padded rows puts the rows' padding too. Transposes (and the copies into padded rows)
/// run on the CPEs while the controller serves others, so the step takes the longer of the two, plus spawn and join.
/// A tiling of whole blocks (<see cref="LayoutStepTiling.WholeBlocks"/>) pays its tile's requests and blocks as its
/// arrangement counts them, and its CPEs the transposes (or copies) of the tile's runs.
/// </summary>
internal static class LayoutStepCost
{
    /// <summary>The estimated seconds of <paramref name="step"/> with its source or destination in the shared memory as flagged.</summary>
    public static double Seconds(Sw26010Spec spec, LayoutStep step, LayoutStepTiling tiling, bool sourceShared, bool destinationShared)
    {
        var dma = spec.Timing.Dma;
        var (gets, puts, getBlocks, putBlocks, tiles, elements, _) = tiling.Transfers(step);
        if (elements <= 0)
        {
            return (spec.Timing.SpawnCycles + spec.Timing.JoinCycles) / spec.ClockHz;
        }

        var rows = tiling.Ranges[tiling.RowDimension];
        var putElements = tiling.PadsRows ? elements / LayoutStepTiling.GroupExtent(step, rows, tiling.RowDimension) * tiling.PaddedRows : elements;
        var bytes = (double)step.ElementBytes;
        var getFactor = sourceShared ? dma.CrossSegmentByteFactor : 1;
        var putFactor = destinationShared ? dma.CrossSegmentByteFactor : 1;
        var controller = ((gets + puts) * dma.RequestNanoseconds)
            + (getBlocks * dma.GetBlockNanoseconds) + (putBlocks * dma.PutBlockNanoseconds)
            + (elements * bytes * dma.GetNanosecondsPerByte * getFactor) + (putElements * bytes * dma.PutNanosecondsPerByte * putFactor);

        // The CPEs' own work on their share of the tiles: a transpose a tile, or a one-column transpose (a copy) per column.
        var perCpeTiles = Math.Ceiling(tiles / spec.CpesPerCoreGroup);
        var perTile = tiling.WholeBlocks is { Shuffle: { } shuffle } ? ShuffleCycles(spec, shuffle)
            : tiling.WholeBlocks is not null ? 0
            : tiling.Transposes ? TransposePrimitive.Cycles(spec.Timing, spec.SimdLanes, tiling.Rows, tiling.Columns)
            : tiling.PadsRows ? tiling.Columns * TransposePrimitive.Cycles(spec.Timing, spec.SimdLanes, tiling.Rows, 1)
            : 0;
        var compute = perCpeTiles * perTile / spec.ClockHz;
        var fixedSeconds = (spec.Timing.SpawnCycles + spec.Timing.JoinCycles) / spec.ClockHz;
        return Math.Max(controller * 1e-9, compute) + fixedSeconds;
    }

    /// <summary>The cycles of a tile's rearrangement: its transposes, and its second rearrangement's.</summary>
    private static double ShuffleCycles(Sw26010Spec spec, TileShuffle shuffle) =>
        (shuffle.Calls * TransposePrimitive.Cycles(spec.Timing, spec.SimdLanes, shuffle.Rows, shuffle.Columns)) + (shuffle.Then is { } then ? ShuffleCycles(spec, then) : 0);
}
