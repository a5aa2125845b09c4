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
/// </list>
/// </summary>
public static class DmaMicrobenchmark
{
    /// <summary>Bytes of the strided request of <see cref="DmaPattern.StridedGap8"/>: 24 KB.</summary>
    public const int StridedRequestBytes = 24 * 1024;

    /// <summary>The series name in the measured table that <paramref name="pattern"/> repeats.</summary>
    public static string SeriesName(DmaPattern pattern) => pattern switch
    {
        DmaPattern.ContiguousCopy => "contiguous_copy",
        DmaPattern.StridedGap8 => "strided_gap8",
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "Not a DMA pattern."),
    };

    /// <summary>
    /// Runs the pattern with blocks of <paramref name="blockBytes"/> for <paramref name="iterations"/>
    /// rounds on one core group of <paramref name="spec"/> (timing only) and returns the simulated
    /// bandwidth in GB/s (1 GB = 1e9 bytes), read and write bytes counted.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The block size is not a positive multiple of 8 that fits the pattern.</exception>
    public static double MeasureGigabytesPerSecond(DmaPattern pattern, int blockBytes, int iterations = 4, Sw26010Spec? spec = null)
    {
        var requestBytes = pattern == DmaPattern.ContiguousCopy ? blockBytes : StridedRequestBytes;
        if (blockBytes <= 0 || blockBytes % 8 != 0 || requestBytes % blockBytes != 0 || blockBytes > 32 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(blockBytes), blockBytes, string.Create(CultureInfo.InvariantCulture,
                $"The block must be a positive multiple of 8 bytes, at most 32 KB, dividing the {requestBytes}-byte request."));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var chip = new Sw26010Chip((spec ?? Sw26010Spec.Default) with { CoreGroups = 1 }, EmulatorOptions.Sequential with { TimingOnly = true });
        var group = chip.CoreGroups[0];
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

        var seconds = report.Profile.KernelCycles / group.Spec.ClockHz;
        return 2.0 * requestBytes * cpes * iterations / seconds / 1e9;
    }
}
