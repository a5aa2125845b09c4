using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// The fewest images of a core group after which its kernel's outer work repeats itself: every run of that many more
/// images adds the same iterations, in the same shapes, on the same CPEs. Null for a family whose outer work is not
/// made of whole images (the implicit GEMM and explicit im2col, whose tiles cut across the batch and may fold it into
/// the output columns, and whose layout steps pack the whole batch): those are measured in full.
/// </summary>
/// <remarks>
/// The families that share the batch among the core groups (<c>BatchShareRules</c>) walk their group's images as a
/// flat sequence of work items: the direct convolution's tasks (an image's group tiles x row tiles) and Winograd's
/// (an image's channel blocks x tile rows x column tasks) dealt to the 64 CPEs in turn (task <c>cpe + 64 t</c>), so
/// the deal repeats after the fewest images whose tasks are a multiple of 64; the fused Winograd's row segments cut
/// into chunks of 8 x segments, so the chunks repeat after the fewest images whose segments are a multiple of a
/// chunk's; the column block in LDM's row tiles, taken one at a time by the whole group, so it repeats every image.
/// </remarks>
internal sealed class AlikeImageUnit : ISchedulePlanVisitor<long?>
{
    /// <summary>Tiles a part of a column-block schedule with spread puts holds at least a unit (<see cref="VisitIm2colLdm"/>).</summary>
    internal const int SpreadTiles = 8;

    /// <summary>The one instance: the visitor holds nothing.</summary>
    public static AlikeImageUnit Instance { get; } = new();

    private AlikeImageUnit()
    {
    }

    /// <inheritdoc/>
    public long? VisitImplicitGemm(LoopPlan plan) => null;

    /// <inheritdoc/>
    public long? VisitIm2col(Im2colPlan plan) => null;

    /// <inheritdoc/>
    public long? VisitDirect(DirectPlan plan) => Period((long)plan.GroupTiles * plan.RowTiles, DirectPlan.Cpes);

    /// <inheritdoc/>
    public long? VisitWinograd(WinogradPlan plan) => Period(plan.TasksPerImage, WinogradPlan.Cpes);

    /// <inheritdoc/>
    public long? VisitWinogradMesh(WinogradMeshPlan plan) => Period(plan.SegmentsPerImage, plan.ChunkSegments);

    /// <inheritdoc/>
    /// <remarks>
    /// A tile's images (<see cref="Im2colLdmSchedule.ImagesPerTile"/>). With spread puts
    /// (<see cref="Im2colLdmSchedule.SpreadPuts"/>) a tile's puts run during the next tile, so a part must hold enough tiles
    /// to reach the steady state: a unit is then the fewest whole tiles' images that hold <see cref="SpreadTiles"/> tiles
    /// (one or two images of a 16 x 16 layer, two and four tiles, extrapolated 11 % low). With rows across images
    /// (<see cref="Im2colLdmSchedule.RowsAcrossImages"/>) the tiles repeat after the fewest images whose rows fill whole
    /// tiles, so a unit is that many images (times what holds <see cref="SpreadTiles"/> tiles, with spread puts).
    /// </remarks>
    public long? VisitIm2colLdm(Im2colLdmPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Schedule.RowsAcrossImages)
        {
            // The tiles repeat after the fewest images whose rows fill whole tiles.
            var unit = Period(plan.Conv.OutHeight, plan.TileRows);
            var tiles = unit * plan.Conv.OutHeight / plan.TileRows;
            return plan.Schedule.SpreadPuts ? unit * ((SpreadTiles + tiles - 1) / tiles) : unit;
        }

        var images = plan.Schedule.ImagesPerTile;
        return plan.Schedule.SpreadPuts ? images * ((SpreadTiles + plan.TilesPerImage - 1) / plan.TilesPerImage) : images;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// As the fused Winograd's: its chunks of segments over the images. The filters' transform, once a call, does not grow
    /// with the images; both parts hold it, so the line through them carries it as it carries the fill and drain.
    /// </remarks>
    public long? VisitWinogradGemm(WinogradGemmPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Period(plan.SegmentsPerImage, plan.ChunkSegments);
    }

    /// <summary>The fewest images whose <paramref name="perImage"/> items each fill whole rounds of <paramref name="round"/>.</summary>
    internal static long Period(long perImage, long round) => round / Gcd(perImage, round);

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
