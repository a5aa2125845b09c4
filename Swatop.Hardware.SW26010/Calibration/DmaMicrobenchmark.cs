using System.Globalization;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>
/// The DMA micro-benchmarks of the measured table, written as CPE programs and timed on the
/// emulator the way they were timed on the machine, all 64 CPEs of one core group at once:
/// <list type="bullet">
/// <item><see cref="DmaPattern.ContiguousCopy"/> (<c>contiguous_copy</c>): each CPE gets one
/// contiguous block, waits, puts it to the destination array and waits; read and write bytes counted;</item>
/// <item><see cref="DmaPattern.StridedGap8"/> (<c>strided_gap8</c>): each CPE gets one 24 KB request
/// split into blocks with an 8-byte gap between them, waits, puts it back the same way and waits;
/// STREAM copy accounting.</item>
/// <item><see cref="DmaPattern.TileGet"/> (<c>tile_get</c>): each CPE gets its part of
/// <see cref="TileGets"/> GEMM tiles in a row, each a strided request of <see cref="TileColumns"/>
/// blocks (one per tile column, the eight CPEs of a mesh row side by side) into the same LDM
/// buffer, then waits for them all; gets only, read bytes counted.</item>
/// </list>
/// </summary>
public static class DmaMicrobenchmark
{
    /// <summary>Bytes of the strided request of <see cref="DmaPattern.StridedGap8"/>: 24 KB.</summary>
    public const int StridedRequestBytes = 24 * 1024;

    /// <summary>Tile columns, so blocks, per request of <see cref="DmaPattern.TileGet"/>.</summary>
    public const int TileColumns = 16;

    /// <summary>Tiles each CPE gets before it waits, in <see cref="DmaPattern.TileGet"/>.</summary>
    public const int TileGets = 4;

    /// <summary>The series name in the measured table that <paramref name="pattern"/> repeats.</summary>
    public static string SeriesName(DmaPattern pattern) => pattern switch
    {
        DmaPattern.ContiguousCopy => "contiguous_copy",
        DmaPattern.StridedGap8 => "strided_gap8",
        DmaPattern.TileGet => "tile_get",
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "Not a DMA pattern."),
    };

    /// <summary>
    /// Runs the pattern with blocks of <paramref name="blockBytes"/> for <paramref name="iterations"/>
    /// rounds on one core group of <paramref name="spec"/> (timing only) and returns the simulated
    /// bandwidth in GB/s (1 GB = 1e9 bytes), read and write bytes counted as the series counts them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The block size is not a positive multiple of 8 that fits the pattern.</exception>
    public static double MeasureGigabytesPerSecond(DmaPattern pattern, int blockBytes, int iterations = 4, Sw26010Spec? spec = null)
    {
        if (pattern == DmaPattern.TileGet)
        {
            return MeasureTileGets(blockBytes, iterations, spec);
        }

        var requestBytes = pattern == DmaPattern.ContiguousCopy ? blockBytes : StridedRequestBytes;
        if (blockBytes <= 0 || blockBytes % 8 != 0 || requestBytes % blockBytes != 0 || blockBytes > 32 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(blockBytes), blockBytes, string.Create(CultureInfo.InvariantCulture,
                $"The block must be a positive multiple of 8 bytes, at most 32 KB, dividing the {requestBytes}-byte request."));
        }

        var group = TimingGroup(iterations, spec);
        var gap = pattern == DmaPattern.StridedGap8 ? 8 : 0;
        var blocks = requestBytes / blockBytes;
        var footprint = (long)blocks * (blockBytes + gap);
        var cpes = group.Spec.CpesPerCoreGroup;
        var source = group.Memory.Allocate("a", footprint * cpes);
        var destination = group.Memory.Allocate("c", footprint * cpes);

        var report = group.Run(async cpe =>
        {
            var buffer = cpe.Ldm.Allocate("block", ElementType.Float64, requestBytes / sizeof(double));
            var reply = cpe.CreateReplyWord("reply");
            var offset = cpe.IdInGroup * footprint;
            var strideBlock = gap == 0 ? 0 : blockBytes;
            for (var i = 0; i < iterations; i++)
            {
                reply.Reset();
                cpe.DmaGet(buffer.All, source.At(offset), reply, strideBlock, gap);
                await cpe.DmaWait(reply, 1);
                cpe.DmaPut(buffer.All, destination.At(offset), reply, strideBlock, gap);
                await cpe.DmaWait(reply, 2);
            }
        });

        return GigabytesPerSecond(2.0 * requestBytes * cpes * iterations, report);
    }

    private static double MeasureTileGets(int blockBytes, int iterations, Sw26010Spec? spec)
    {
        if (blockBytes <= 0 || blockBytes % 8 != 0 || blockBytes > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(blockBytes), blockBytes, "The block must be a positive multiple of 8 bytes, at most 4 KB.");
        }

        var group = TimingGroup(iterations, spec);
        var mesh = group.Spec.MeshColumns;

        // A column-major matrix whose columns are one mesh row's blocks side by side: CPE (r, c)
        // reads block c of each column of tile r, skipping the other seven CPEs' blocks.
        var columnBytes = (long)mesh * blockBytes;
        var tileBytes = columnBytes * TileColumns;
        var matrix = group.Memory.Allocate("tiles", tileBytes * group.Spec.MeshRows * TileGets);
        var requestBytes = blockBytes * TileColumns;

        var report = group.Run(async cpe =>
        {
            var buffer = cpe.Ldm.Allocate("tile", ElementType.Float64, requestBytes / sizeof(double));
            var reply = cpe.CreateReplyWord("reply");
            for (var i = 0; i < iterations; i++)
            {
                reply.Reset();
                for (var tile = 0; tile < TileGets; tile++)
                {
                    var at = (((tile * cpe.Spec.MeshRows) + cpe.Id.Row) * tileBytes) + (cpe.Id.Column * blockBytes);
                    cpe.DmaGet(buffer.All, matrix.At(at), reply, blockBytes, (mesh - 1) * blockBytes);
                }

                await cpe.DmaWait(reply, TileGets);
            }
        });

        return GigabytesPerSecond((double)requestBytes * TileGets * group.Spec.CpesPerCoreGroup * iterations, report);
    }

    /// <summary>One core group of <paramref name="spec"/> (the real chip's by default), sequential and timing only.</summary>
    private static CoreGroup TimingGroup(int iterations, Sw26010Spec? spec)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var chip = new Sw26010Chip((spec ?? Sw26010Spec.Default) with { CoreGroups = 1 }, EmulatorOptions.Sequential with { TimingOnly = true });
        return chip.CoreGroups[0];
    }

    /// <summary>Bytes moved over the kernel's simulated time, in GB/s (1 GB = 1e9 bytes).</summary>
    private static double GigabytesPerSecond(double bytes, CoreGroupRunReport report) =>
        bytes / (report.Profile.KernelCycles / report.Profile.ClockHz) / 1e9;
}
