using System.Globalization;

namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// Measured DMA bandwidth of one core group, as series of (block bytes, GB/s) points: the
/// measurements the DMA model is built from. <see cref="Default"/> holds the measured SW26010
/// figures shipped with Swatop (<c>data/dma-bandwidth-sw26010.csv</c>); another table (another
/// machine, another measurement) can be loaded with <see cref="Parse"/> and handed to
/// <see cref="DmaTimingModel.FromTable"/>.
/// </summary>
public sealed class DmaBandwidthTable
{
    private readonly Dictionary<string, IReadOnlyList<DmaBandwidthPoint>> _series;

    private DmaBandwidthTable(Dictionary<string, IReadOnlyList<DmaBandwidthPoint>> series) => _series = series;

    /// <summary>The measured SW26010 table shipped with Swatop.</summary>
    public static DmaBandwidthTable Default { get; } = LoadDefault();

    /// <summary>The names of the series in the table.</summary>
    public IReadOnlyCollection<string> SeriesNames => _series.Keys;

    /// <summary>The points of a series, by increasing block size.</summary>
    /// <exception cref="KeyNotFoundException">No series has that name; the message lists those that do.</exception>
    public IReadOnlyList<DmaBandwidthPoint> Series(string name) =>
        _series.TryGetValue(name, out var points) ? points
            : throw new KeyNotFoundException($"The DMA bandwidth table has no series '{name}'; it has {string.Join(", ", _series.Keys)}.");

    /// <summary>True when the table has a series of that name.</summary>
    public bool HasSeries(string name) => _series.ContainsKey(name);

    /// <summary>
    /// Reads a table of lines <c>series,block_bytes,gbps</c>; lines starting with <c>#</c> and blank
    /// lines are skipped.
    /// </summary>
    /// <exception cref="FormatException">A line is malformed; the message names the line and the field.</exception>
    public static DmaBandwidthTable Parse(TextReader reader, string source = "DMA bandwidth table")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var series = new Dictionary<string, List<DmaBandwidthPoint>>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length != 3)
            {
                throw new FormatException($"{source}, line {number}: expected 3 fields (series, block_bytes, gbps), found {fields.Length}.");
            }

            if (!int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var block) || block <= 0)
            {
                throw new FormatException($"{source}, line {number}, column block_bytes: '{fields[1]}' is not a positive whole number.");
            }

            if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var gbps) || !(gbps > 0))
            {
                throw new FormatException($"{source}, line {number}, column gbps: '{fields[2]}' is not a positive number.");
            }

            var name = fields[0].Trim();
            if (!series.TryGetValue(name, out var points))
            {
                series[name] = points = [];
            }

            points.Add(new DmaBandwidthPoint(block, gbps));
        }

        return new DmaBandwidthTable(series.ToDictionary(
            pair => pair.Key,
            pair => (IReadOnlyList<DmaBandwidthPoint>)[.. pair.Value.OrderBy(p => p.BlockBytes)],
            StringComparer.Ordinal));
    }

    private static DmaBandwidthTable LoadDefault()
    {
        using var stream = typeof(DmaBandwidthTable).Assembly.GetManifestResourceStream("Swatop.Hardware.Sw26010.dma-bandwidth-sw26010.csv")
            ?? throw new InvalidOperationException("The embedded DMA bandwidth table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader, "dma-bandwidth-sw26010.csv");
    }
}
