using System.Globalization;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Emit.Shim;

/// <summary>
/// The per-CPE counts a host build writes (<c>swatop_shim_write_counts</c>, or the file named by
/// <see cref="AthreadShim.CountsEnvironmentVariable"/>): reading them, and comparing them with what
/// the emulator counted for the same kernel.
/// </summary>
public static class ShimCounts
{
    /// <summary>The CSV columns, in the order the shim writes them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "cpe", "row", "column", "dma_gets", "dma_puts", "dma_get_bytes", "dma_put_bytes", "dma_blocks", "dma_waits", "rlc_puts", "rlc_gets",
        "mesh_gemm_calls", "flops", "fill_elements", "convert_elements", "copy_elements", "synchronizations", "ldm_peak_bytes",
    ];

    /// <summary>The activity fields both sides count, by name.</summary>
    private static readonly (string Name, Func<CpeActivity, long> Get)[] Fields =
    [
        (nameof(CpeActivity.DmaGets), a => a.DmaGets),
        (nameof(CpeActivity.DmaPuts), a => a.DmaPuts),
        (nameof(CpeActivity.DmaGetBytes), a => a.DmaGetBytes),
        (nameof(CpeActivity.DmaPutBytes), a => a.DmaPutBytes),
        (nameof(CpeActivity.DmaBlocks), a => a.DmaBlocks),
        (nameof(CpeActivity.DmaWaits), a => a.DmaWaits),
        (nameof(CpeActivity.RlcPuts), a => a.RlcPuts),
        (nameof(CpeActivity.RlcGets), a => a.RlcGets),
        (nameof(CpeActivity.MeshGemmCalls), a => a.MeshGemmCalls),
        (nameof(CpeActivity.Flops), a => a.Flops),
        (nameof(CpeActivity.FillElements), a => a.FillElements),
        (nameof(CpeActivity.ConvertElements), a => a.ConvertElements),
        (nameof(CpeActivity.CopyElements), a => a.CopyElements),
        (nameof(CpeActivity.Synchronizations), a => a.Synchronizations),
    ];

    /// <summary>Reads the shim's CSV: a header naming <see cref="Columns"/>, then one line per CPE.</summary>
    /// <exception cref="FormatException">When the header or a line does not fit, with the line number.</exception>
    public static IReadOnlyList<ShimCpeCounts> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = csv.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].Split(',').SequenceEqual(Columns, StringComparer.Ordinal))
        {
            throw new FormatException($"Line 1 of the shim's counts must be the header '{string.Join(',', Columns)}'.");
        }

        var result = new List<ShimCpeCounts>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            var values = new long[Columns.Count];
            if (cells.Length != Columns.Count
                || cells.Select((cell, c) => long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[c])).Any(ok => !ok))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"Line {i + 1} of the shim's counts must hold {Columns.Count} integers: '{lines[i]}'."));
            }

            result.Add(new ShimCpeCounts(
                checked((int)values[0]),
                checked((int)values[1]),
                checked((int)values[2]),
                new CpeActivity
                {
                    DmaGets = values[3],
                    DmaPuts = values[4],
                    DmaGetBytes = values[5],
                    DmaPutBytes = values[6],
                    DmaBlocks = values[7],
                    DmaWaits = values[8],
                    RlcPuts = values[9],
                    RlcGets = values[10],
                    MeshGemmCalls = values[11],
                    Flops = values[12],
                    FillElements = values[13],
                    ConvertElements = values[14],
                    CopyElements = values[15],
                    Synchronizations = values[16],
                },
                values[17]));
        }

        return result;
    }

    /// <summary>
    /// Where the shim's counts and the emulator's differ, one line per CPE and field ("CPE (1, 3) of
    /// CG 0: DmaGets 3 in the shim, 2 in the emulator"); empty when they agree. The emulator's list is
    /// indexed by athread id, as <see cref="CoreGroupRunReport.Cpes"/> is.
    /// </summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<ShimCpeCounts> shim, IReadOnlyList<CpeActivity> emulator)
    {
        ArgumentNullException.ThrowIfNull(shim);
        ArgumentNullException.ThrowIfNull(emulator);
        var differences = new List<string>();
        if (shim.Count != emulator.Count)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"the shim counted {shim.Count} CPEs, the emulator {emulator.Count}"));
        }

        foreach (var counts in shim.Where(c => c.Id >= 0 && c.Id < emulator.Count))
        {
            var other = emulator[counts.Id];
            foreach (var (name, get) in Fields)
            {
                long mine = get(counts.Activity), theirs = get(other);
                if (mine != theirs)
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{counts.Cpe}: {name} {mine} in the shim, {theirs} in the emulator"));
                }
            }
        }

        return differences;
    }
}
