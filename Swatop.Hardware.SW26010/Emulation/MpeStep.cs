namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>A host-side step the MPE ran.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="HostTime">How long it took on the host.</param>
public sealed record MpeStep(string Name, TimeSpan HostTime);
