using System.Diagnostics;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The management core of a core group: host-side steps (layout transforms, padding, placing and
/// gathering tensors) run here, on the group's main memory, between spawns. A step described by an
/// <see cref="MpeWork"/> costs the MPE's time on the machine (its streaming bandwidth and flop rate
/// from <see cref="Sw26010Timing"/>); a step without one is setup outside any measurement.
/// </summary>
public sealed class Mpe
{
    private readonly List<MpeStep> _steps = [];
    private readonly Sw26010Timing _timing;

    internal Mpe(MainMemory memory, Sw26010Timing timing)
    {
        Memory = memory;
        _timing = timing;
    }

    /// <summary>The group's main memory, which the MPE reads and writes directly.</summary>
    public MainMemory Memory { get; }

    /// <summary>The steps run so far, in order.</summary>
    public IReadOnlyList<MpeStep> Steps => _steps;

    /// <summary>MPE cycles of the described steps so far.</summary>
    public double Cycles { get; private set; }

    /// <summary>Runs setup named <paramref name="name"/> on the group's memory; it takes no simulated time.</summary>
    public void Run(string name, Action<MainMemory> step) => Execute(name, null, step);

    /// <summary>Runs a host-side step that does <paramref name="work"/>; it takes the MPE's time for that work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The work has negative bytes or flops.</exception>
    public void Run(string name, MpeWork work, Action<MainMemory> step)
    {
        if (work.Bytes < 0 || work.Flops < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(work), work, "A step's bytes and flops must not be negative.");
        }

        Execute(name, work, step);
    }

    /// <summary>The cycles the MPE takes for <paramref name="work"/>: its bytes at the MPE's bandwidth plus its flops at its rate.</summary>
    public double CyclesOf(MpeWork work) => (work.Bytes / _timing.MpeBytesPerCycle) + (work.Flops / _timing.MpeFlopsPerCycle);

    private void Execute(string name, MpeWork? work, Action<MainMemory> step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(step);
        var clock = Stopwatch.StartNew();
        step(Memory);
        var cycles = work is { } described ? CyclesOf(described) : 0;
        Cycles += cycles;
        _steps.Add(new MpeStep(name, clock.Elapsed, work, cycles));
    }
}
