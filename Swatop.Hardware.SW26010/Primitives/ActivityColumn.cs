using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// One count of <see cref="CpeActivity"/> as both sides keep it: its column in the host shim's CSV
/// (<c>swatop_shim_write_counts</c>) and its field in the emulator's tallies.
/// </summary>
/// <param name="Name">The CSV column, as the shim writes it (<c>fill_elements</c>).</param>
/// <param name="Field">The <see cref="CpeActivity"/> property (<c>FillElements</c>).</param>
/// <param name="Get">Reads the count.</param>
/// <param name="With">A copy of an activity with the count set.</param>
internal sealed record ActivityColumn(string Name, string Field, Func<CpeActivity, long> Get, Func<CpeActivity, long, CpeActivity> With);
