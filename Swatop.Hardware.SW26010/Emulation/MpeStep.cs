namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>A host-side step the MPE ran.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="HostTime">How long it took on the host.</param>
/// <param name="Work">What it did, when it was described; null for setup outside any measurement.</param>
/// <param name="SimulatedCycles">MPE cycles it takes on the machine (zero for setup).</param>
public sealed record MpeStep(string Name, TimeSpan HostTime, MpeWork? Work, double SimulatedCycles);
