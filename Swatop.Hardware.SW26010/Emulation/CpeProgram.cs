namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The code one CPE runs when a kernel is spawned (the <c>SLAVE_FUN</c> of athread). The same
/// program runs on all 64 CPEs of a core group; each learns where it is from <see cref="ICpe.Id"/>.
/// A program awaits only the operations of its <see cref="ICpe"/>: they run on the emulator's own
/// deterministic scheduler, and awaiting anything else is reported as an error.
/// </summary>
/// <param name="cpe">The machine as this CPE sees it.</param>
public delegate ValueTask CpeProgram(ICpe cpe);
