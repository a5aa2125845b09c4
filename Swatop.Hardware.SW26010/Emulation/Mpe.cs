using System.Diagnostics;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The management core of a core group: host-side steps (layout transforms, padding, checks) run
/// here, on the group's main memory, between spawns.
/// </summary>
public sealed class Mpe
{
    private readonly List<MpeStep> _steps = [];

    internal Mpe(MainMemory memory) => Memory = memory;

    /// <summary>The group's main memory, which the MPE reads and writes directly.</summary>
    public MainMemory Memory { get; }

    /// <summary>The steps run so far, in order.</summary>
    public IReadOnlyList<MpeStep> Steps => _steps;

    /// <summary>Runs a host-side step named <paramref name="name"/> on the group's memory.</summary>
    public void Run(string name, Action<MainMemory> step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(step);
        var clock = Stopwatch.StartNew();
        step(Memory);
        _steps.Add(new MpeStep(name, clock.Elapsed));
    }
}
