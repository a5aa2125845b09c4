namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>One value of a network's emitted C set against the emulator's: a node's or an output's.</summary>
/// <param name="Name">The node's or output's name.</param>
/// <param name="Elements">The elements compared.</param>
/// <param name="WorstError">The largest error, relative to the element's magnitude plus the value's mean magnitude.</param>
/// <param name="Tolerance">The largest relative error accepted.</param>
public sealed record EmittedValueComparison(string Name, long Elements, double WorstError, double Tolerance);
