using System.Diagnostics;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010;

/// <summary>
/// An emulated SW26010: 1 to 4 core groups (more for what-if specs), each with its own memory, MPE
/// and 64 CPEs. Results are exact; in parallel mode the groups run side by side on the thread pool.
/// </summary>
public sealed class Sw26010Chip
{
    /// <summary>Builds a chip from a spec (the real chip by default) and host options (parallel by default).</summary>
    /// <exception cref="ArgumentException">The spec or the options are not sane; the message names the value.</exception>
    public Sw26010Chip(Sw26010Spec? spec = null, EmulatorOptions? options = null)
    {
        Spec = spec ?? Sw26010Spec.Default;
        Spec.Validate();
        Options = options ?? EmulatorOptions.Default;
        Options.Validate();
        CoreGroups = [.. Enumerable.Range(0, Spec.CoreGroups).Select(i => new CoreGroup(i, Spec, Options))];
        SharedMemory = new MainMemory(MainMemory.SharedSegment, Spec.CoreGroups * Spec.MemoryBytesPerCoreGroup, Spec.DmaAlignmentBytes);
    }

    /// <summary>
    /// The shared (cross-segment) memory that every core group's DMA reaches: where the framework keeps
    /// its tensors, which layout steps read from and write to.
    /// </summary>
    public MainMemory SharedMemory { get; }

    /// <summary>The chip's description.</summary>
    public Sw26010Spec Spec { get; }

    /// <summary>How the emulator runs on the host.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The core groups, by index.</summary>
    public IReadOnlyList<CoreGroup> CoreGroups { get; }

    /// <summary>
    /// Spawns a program on each of the first <paramref name="groups"/> core groups (all by default),
    /// as one host thread per group does on the real machine, then joins them all. With
    /// <paramref name="spawns"/> above one each group spawns and joins its program that many times.
    /// </summary>
    public ChipRunReport Run(Func<CoreGroup, CpeProgram> programFor, int? groups = null, int spawns = 1)
    {
        ArgumentNullException.ThrowIfNull(programFor);
        var count = groups ?? CoreGroups.Count;
        if (count < 1 || count > CoreGroups.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), count, $"The run needs between 1 and {CoreGroups.Count} core groups (the spec's CoreGroups).");
        }

        var clock = Stopwatch.StartNew();
        var used = CoreGroups.Take(count).ToList();
        var spawned = new List<CoreGroup>();
        try
        {
            foreach (var group in used)
            {
                group.Spawn(programFor(group), spawns);
                spawned.Add(group);
            }
        }
        catch
        {
            JoinQuietly(spawned);
            throw;
        }

        var reports = new List<CoreGroupRunReport>();
        Exception? failure = null;
        foreach (var group in spawned)
        {
            try
            {
                reports.Add(group.Join());
            }
            catch (EmulatorException e)
            {
                failure ??= e;
            }
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return new ChipRunReport(reports, clock.Elapsed);
    }

    private static void JoinQuietly(IEnumerable<CoreGroup> groups)
    {
        foreach (var group in groups)
        {
            try
            {
                group.Join();
            }
            catch (EmulatorException)
            {
                // The spawn failure that brought us here is the one to report.
            }
        }
    }
}
