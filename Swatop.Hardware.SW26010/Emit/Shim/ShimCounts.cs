using System.Globalization;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Primitives;

namespace Swatop.Hardware.Sw26010.Emit.Shim;

/// <summary>
/// The per-CPE counts a host build writes (<c>swatop_shim_write_counts</c>, or the file named by
/// <see cref="AthreadShim.CountsEnvironmentVariable"/>): reading them, and comparing them with what
/// the emulator counted for the same kernel.
/// </summary>
public static class ShimCounts
{
    /// <summary>The CSV columns, in the order the shim writes them: the CPE, its row and column, the counts of <see cref="ActivityColumns"/>, the LDM peak, the <see cref="ShimSimdCounts"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["cpe", "row", "column", .. ActivityColumns.All.Select(c => c.Name), "ldm_peak_bytes", .. ShimSimdCounts.Columns];

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

            var activity = CpeActivity.None;
            for (var c = 0; c < ActivityColumns.All.Count; c++)
            {
                activity = ActivityColumns.All[c].With(activity, values[3 + c]);
            }

            var simd = values.AsSpan(values.Length - ShimSimdCounts.Columns.Count);
            var instructions = new ShimSimdCounts(simd[0], simd[1], simd[2], simd[3], simd[4], simd[5], simd[6], simd[7]);
            activity = activity with
            {
                SimdLoads = instructions.Loads, SimdUnalignedLoads = instructions.UnalignedLoads, SimdSplats = instructions.Splats, SimdGathers = instructions.Gathers,
                SimdStores = instructions.Stores, SimdFmas = instructions.Fmas, SimdArithmetic = instructions.Arithmetic,
            };
            result.Add(new ShimCpeCounts(checked((int)values[0]), checked((int)values[1]), checked((int)values[2]), activity,
                values[3 + ActivityColumns.All.Count], instructions));
        }

        return result;
    }

    /// <summary>
    /// Where the shim's counts and the emulator's differ, one line per CPE and field ("CPE (1, 3) of
    /// CG 0: DmaGets 3 in the shim, 2 in the emulator"); empty when they agree. The emulator's list is
    /// indexed by athread id, as <see cref="CoreGroupRunReport.Cpes"/> is. With <paramref name="simd"/> (the
    /// default) the SIMD instructions the shim counted are held to those the emulator's time model charges
    /// for the primitives (<see cref="CpeActivity.SimdLoads"/> and the rest); a hand-written test program, whose
    /// own vector code is no primitive's, compares without them.
    /// </summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<ShimCpeCounts> shim, IReadOnlyList<CpeActivity> emulator, bool simd = true)
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
            foreach (var column in ActivityColumns.All)
            {
                long mine = column.Get(counts.Activity), theirs = column.Get(other);
                if (mine != theirs)
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{counts.Cpe}: {column.Field} {mine} in the shim, {theirs} in the emulator"));
                }
            }

            foreach (var (field, mine, theirs) in simd ? SimdPairs(counts.Simd, other) : [])
            {
                if (mine != theirs)
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{counts.Cpe}: {field} {mine} in the shim, {theirs} charged by the emulator's time model"));
                }
            }
        }

        return differences;
    }

    /// <summary>
    /// The SIMD instructions the shim counted beside those the emulator's time model charges, field by field: every
    /// count but the conversions, which the float mesh GEMM does in its registers and the model folds into its
    /// conversion term.
    /// </summary>
    private static IEnumerable<(string Field, long Shim, long Emulator)> SimdPairs(ShimSimdCounts shim, CpeActivity emulator)
    {
        yield return (nameof(CpeActivity.SimdLoads), shim.Loads, emulator.SimdLoads);
        yield return (nameof(CpeActivity.SimdUnalignedLoads), shim.UnalignedLoads, emulator.SimdUnalignedLoads);
        yield return (nameof(CpeActivity.SimdSplats), shim.Splats, emulator.SimdSplats);
        yield return (nameof(CpeActivity.SimdGathers), shim.Gathers, emulator.SimdGathers);
        yield return (nameof(CpeActivity.SimdStores), shim.Stores, emulator.SimdStores);
        yield return (nameof(CpeActivity.SimdFmas), shim.Fmas, emulator.SimdFmas);
        yield return (nameof(CpeActivity.SimdArithmetic), shim.Arithmetic, emulator.SimdArithmetic);
    }
}
