using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// What each <see cref="ComputeRegion"/> of a kernel did, by the values it depends on, for the CPEs of one core
/// group running the kernel timing only: the charges its CPE's clock took, in order, and what it added to the
/// CPE's tallies. The group's CPEs run on one host thread, so they share one memo without locks; each group
/// running a program has its own. A CPE whose LDM buffers lie elsewhere than the first one's (addresses change
/// the element-wise and multiply-accumulate charges) does not use it.
/// </summary>
internal sealed class ComputeRegionMemo
{
    private readonly Dictionary<long[], Outcome>[] _outcomes;
    private long[]? _offsets;

    public ComputeRegionMemo(int regions)
    {
        _outcomes = new Dictionary<long[], Outcome>[regions];
        for (var i = 0; i < regions; i++)
        {
            _outcomes[i] = new Dictionary<long[], Outcome>(KeyComparer.Instance);
        }
    }

    /// <summary>The kernel's regions.</summary>
    public int Regions => _outcomes.Length;

    /// <summary>Regions replayed rather than run, over the memo's life.</summary>
    public long Replays { get; private set; }

    /// <summary>Regions run and recorded, over the memo's life.</summary>
    public long Recordings { get; private set; }

    /// <summary>Whether a CPE whose buffers start at <paramref name="offsets"/> (bytes, by declaration) may use the memo: the first CPE's are taken as the memo's.</summary>
    public bool Admits(long[] offsets)
    {
        _offsets ??= offsets;
        return _offsets.AsSpan().SequenceEqual(offsets);
    }

    /// <summary>Replays what <paramref name="region"/> did under <paramref name="key"/> on <paramref name="cpe"/>, if it was recorded.</summary>
    public bool TryReplay(ComputeRegion region, long[] key, Cpe cpe)
    {
        if (!_outcomes[region.Index].TryGetValue(key, out var outcome))
        {
            return false;
        }

        outcome.Charges.ReplayOn(ref cpe.Clock);
        cpe.Counters.Add(outcome.Tallies);
        Replays++;
        return true;
    }

    /// <summary>Keeps what <paramref name="region"/> did under <paramref name="key"/>.</summary>
    public void Record(ComputeRegion region, long[] key, SpendLog charges, ActivityCounters tallies)
    {
        _outcomes[region.Index][key] = new Outcome(charges, tallies);
        Recordings++;
    }

    private sealed record Outcome(SpendLog Charges, ActivityCounters Tallies);

    private sealed class KeyComparer : IEqualityComparer<long[]>
    {
        public static KeyComparer Instance { get; } = new();

        public bool Equals(long[]? x, long[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(long[] key)
        {
            var hash = default(HashCode);
            foreach (var value in key)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }
}
