using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// Opens a <see cref="ComputeRegion"/>. Without a memo (a run that moves data or checks races, or with
/// <see cref="EmulatorOptions.ReplayComputeRegions"/> off) it falls through to the loop. With one, it
/// replays the region's recorded charges and tallies and jumps past its end when the region ran before with
/// the same values; else it starts recording and falls through, and <see cref="RegionEnd"/> keeps the record.
/// </summary>
internal sealed class RegionStart(ForLoop source, ComputeRegion region, int end) : Instruction(source)
{
    public override int Execute(ExecutionFrame frame, int pc)
    {
        if (frame.Memo is not { } memo)
        {
            return pc + 1;
        }

        var key = frame.RegionKey(region);
        region.Key(frame, key);
        var cpe = frame.Cpe;
        if (memo.TryReplay(region, key, cpe))
        {
            cpe.RegionsReplayed++;
            return end + 1;
        }

        var charges = new SpendLog();
        frame.Recording = new RegionRecording((long[])key.Clone(), charges, cpe.Counters.Copy());
        cpe.Clock.StartLog(charges);
        return pc + 1;
    }
}

/// <summary>Closes a <see cref="ComputeRegion"/>: keeps what the run since its <see cref="RegionStart"/> did, when it was recorded.</summary>
internal sealed class RegionEnd(ForLoop source, ComputeRegion region) : Instruction(source)
{
    public override int Execute(ExecutionFrame frame, int pc)
    {
        if (frame.Recording is { } recording)
        {
            var cpe = frame.Cpe;
            cpe.Clock.StopLog();
            frame.Memo!.Record(region, recording.Key, recording.Charges, cpe.Counters.Since(recording.Tallies));
            frame.Recording = null;
        }

        return pc + 1;
    }
}

/// <summary>A region being recorded on one CPE: the values it depends on, its charges so far, and the tallies when it began.</summary>
internal sealed record RegionRecording(long[] Key, SpendLog Charges, ActivityCounters Tallies);
