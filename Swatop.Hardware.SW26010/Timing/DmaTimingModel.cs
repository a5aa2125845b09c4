using System.Globalization;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// How long the memory controller of a core group takes to serve a DMA request. A request of
/// <c>n</c> blocks of <c>b</c> bytes occupies the controller for
/// <c>RequestNanoseconds + n * (Get|Put)BlockNanoseconds + n * b * (Get|Put)NanosecondsPerByte</c>;
/// the reply arrives <see cref="LatencyNanoseconds"/> after the service ends. Stride does not
/// enter: the tables show it barely matters.
/// </summary>
/// <remarks>
/// <para>
/// Why this shape. The measured tables disagree at small blocks (a 128-byte block runs at 2.95 GB/s
/// as separate requests, 4.9 GB/s as blocks of one request, 13.4 GB/s in swGEMM's tile table and
/// 23.1 GB/s in swDNN's input pattern), so no single bandwidth curve holds them all. Three costs
/// explain the STREAM series and swGEMM's tile series together: a cost per request, a cost per
/// block, and a cost per byte, with gets and puts apart. The STREAM series always pair a get with
/// a put of the same blocks; <c>tile_get</c> measures gets alone, and its small blocks are fast: a
/// block is cheap to read and dear to write (a partial write of a memory line). The model follows
/// <c>contiguous_copy</c> and <c>strided_gap8</c> from 128 B to 8 KB and <c>tile_get</c> at its
/// power-of-two blocks (see <c>DmaMicrobenchmark</c>); it leaves out <c>tile_get</c>'s dips at
/// 224 and 448 bytes and the 23 GB/s of <c>conv_input_get</c>. <see cref="FromTable"/> takes each
/// constant from the series that isolates it:
/// </para>
/// <list type="bullet">
/// <item>the streaming costs of a get and a put byte from the plateaus of the STREAM copy (one get
/// and one put per byte pair) and triad (two gets and one put) series: 27.1 and 16.4 GB/s;</item>
/// <item>the block costs from the <c>strided_gap8</c> series, one 24 KB request in blocks with 8-byte
/// gaps: its time per get-and-put block pair is linear in the block size (<c>get block + put block
/// + b * (get + put)</c>, 128 B to 8 KB), and the intercept is the pair's block cost; the get's
/// share is the intercept of <c>tile_get</c>'s time per block at 128, 256, 512 and 1024 bytes,
/// the put has the rest;</item>
/// <item>the request cost from <c>contiguous_copy</c> (a request per block) minus <c>strided_gap8</c>
/// at the same block sizes, 128 B to 2 KB, per request.</item>
/// </list>
/// <para>
/// The latency has no public figure: <see cref="LatencyNanoseconds"/> is a stated assumption.
/// </para>
/// </remarks>
public sealed record DmaTimingModel
{
    /// <summary>The model built from <see cref="DmaBandwidthTable.Default"/>.</summary>
    public static DmaTimingModel Default { get; } = FromTable(DmaBandwidthTable.Default);

    /// <summary>Controller time per request, in nanoseconds.</summary>
    public required double RequestNanoseconds { get; init; }

    /// <summary>Controller time per contiguous block of a get, in nanoseconds.</summary>
    public required double GetBlockNanoseconds { get; init; }

    /// <summary>Controller time per contiguous block of a put, in nanoseconds.</summary>
    public required double PutBlockNanoseconds { get; init; }

    /// <summary>Controller time per byte moved from main memory to LDM, in nanoseconds (1 / GB/s).</summary>
    public required double GetNanosecondsPerByte { get; init; }

    /// <summary>Controller time per byte moved from LDM to main memory, in nanoseconds.</summary>
    public required double PutNanosecondsPerByte { get; init; }

    /// <summary>
    /// Time from the end of a request's service to its reply word, in nanoseconds. Assumption: no
    /// public figure; 250 ns is a DDR3 access plus the on-chip network both ways.
    /// </summary>
    public double LatencyNanoseconds { get; init; } = 250;

    /// <summary>
    /// How many times a byte of a transfer that crosses to the shared (cross-segment) memory costs the
    /// controller what a byte of the group's own memory costs. Assumption: no public figure; the shared
    /// memory is interleaved over the four groups' DDR3 and reached through the on-chip network, taken
    /// to deliver half the bandwidth of a group's own memory, so 2. Requests and blocks cost as locally.
    /// </summary>
    public double CrossSegmentByteFactor { get; init; } = 2;

    /// <summary>Builds the model from a measured table that has the series named in the remarks.</summary>
    /// <exception cref="ArgumentException">The table lacks a series or a block size the fit needs.</exception>
    public static DmaTimingModel FromTable(DmaBandwidthTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var copy = Require(table, "contiguous_copy");
        var triad = Require(table, "contiguous_triad");
        var blocks = Require(table, "strided_gap8");
        var tiles = Require(table, "tile_get");

        // Plateaus: copy moves a get and a put per byte pair, triad two gets and a put per three bytes.
        var copyPair = 2 / copy[^1].GigabytesPerSecond;          // get + put, ns per byte
        var triadTriple = 3 / triad[^1].GigabytesPerSecond;      // 2 get + put
        var get = triadTriple - copyPair;
        var put = copyPair - get;

        // Block costs: least squares of the per-block-pair time over block size, 128 B to 8 KB; the
        // get's share from the gets-only tile series at its power-of-two blocks.
        var pairBlock = Intercept([.. blocks.Where(p => p.BlockBytes is >= 128 and <= 8192).Select(p => ((double)p.BlockBytes, 2 * p.BlockBytes / p.GigabytesPerSecond))]);
        var getBlock = Intercept([.. tiles.Where(p => p.BlockBytes is 128 or 256 or 512 or 1024).Select(p => ((double)p.BlockBytes, p.BlockBytes / p.GigabytesPerSecond))]);

        // Request cost: a request per block (copy) against blocks of one request (strided), per request.
        var request = copy.Where(p => p.BlockBytes is >= 128 and <= 2048)
            .Select(p => (BlockBytes: p.BlockBytes, Copy: 2 * p.BlockBytes / p.GigabytesPerSecond, Strided: PairTime(blocks, p.BlockBytes)))
            .Select(p => (p.Copy - p.Strided) / 2)
            .Average();

        return new DmaTimingModel
        {
            RequestNanoseconds = Math.Max(0, request),
            GetBlockNanoseconds = Math.Clamp(getBlock, 0, Math.Max(0, pairBlock)),
            PutBlockNanoseconds = Math.Max(0, pairBlock - Math.Max(0, getBlock)),
            GetNanosecondsPerByte = get,
            PutNanosecondsPerByte = put,
        };
    }

    /// <summary>Checks the constants: all finite and non-negative, byte costs positive.</summary>
    /// <exception cref="ArgumentException">A constant is out of range; the message names it.</exception>
    public void Validate()
    {
        Check(RequestNanoseconds >= 0 && double.IsFinite(RequestNanoseconds), nameof(RequestNanoseconds), RequestNanoseconds);
        Check(GetBlockNanoseconds >= 0 && double.IsFinite(GetBlockNanoseconds), nameof(GetBlockNanoseconds), GetBlockNanoseconds);
        Check(PutBlockNanoseconds >= 0 && double.IsFinite(PutBlockNanoseconds), nameof(PutBlockNanoseconds), PutBlockNanoseconds);
        Check(GetNanosecondsPerByte > 0 && double.IsFinite(GetNanosecondsPerByte), nameof(GetNanosecondsPerByte), GetNanosecondsPerByte);
        Check(PutNanosecondsPerByte > 0 && double.IsFinite(PutNanosecondsPerByte), nameof(PutNanosecondsPerByte), PutNanosecondsPerByte);
        Check(LatencyNanoseconds >= 0 && double.IsFinite(LatencyNanoseconds), nameof(LatencyNanoseconds), LatencyNanoseconds);
        Check(CrossSegmentByteFactor >= 1 && double.IsFinite(CrossSegmentByteFactor), nameof(CrossSegmentByteFactor), CrossSegmentByteFactor);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"DMA: {RequestNanoseconds:F1} ns a request, {GetBlockNanoseconds:F1} ns a get block, {PutBlockNanoseconds:F1} ns a put block, get {1 / GetNanosecondsPerByte:F1} GB/s, put {1 / PutNanosecondsPerByte:F1} GB/s, latency {LatencyNanoseconds:F0} ns");

    private static void Check(bool holds, string name, double value)
    {
        if (!holds)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"DmaTimingModel.{name} = {value} is out of range: costs are finite and not negative, byte costs positive."), name);
        }
    }

    private static IReadOnlyList<DmaBandwidthPoint> Require(DmaBandwidthTable table, string series) =>
        table.HasSeries(series) && table.Series(series).Count > 0 ? table.Series(series)
            : throw new ArgumentException($"The DMA bandwidth table needs the series '{series}' to build the model.", nameof(table));

    private static double PairTime(IReadOnlyList<DmaBandwidthPoint> series, int blockBytes)
    {
        var point = series.FirstOrDefault(p => p.BlockBytes == blockBytes);
        return point.BlockBytes == blockBytes ? 2 * blockBytes / point.GigabytesPerSecond
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The strided_gap8 series needs a point at {blockBytes} bytes to match contiguous_copy."), nameof(series));
    }

    private static double Intercept(IReadOnlyList<(double X, double Y)> points)
    {
        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var slope = points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return meanY - (slope * meanX);
    }
}
