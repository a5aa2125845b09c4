namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>Which runs check every LDM access of a CPE against its outstanding DMA transfers (<see cref="DmaRaceException"/>).</summary>
public enum DmaRaceChecks
{
    /// <summary>No run checks.</summary>
    Off,

    /// <summary>
    /// Runs that move data check; timing-only runs, which the tuner makes by the thousand and where the
    /// checks would be a large part of the work, do not (<c>docs/performance.md</c>, "DMA race checks").
    /// </summary>
    FullRuns,

    /// <summary>Every run checks, timing-only runs too.</summary>
    Always,
}
