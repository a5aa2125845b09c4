namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The order in which runnable CPEs run: earliest clock first, then the order they became runnable.</summary>
/// <param name="Cycle">The CPE's clock when it became runnable.</param>
/// <param name="Sequence">How many CPEs became runnable before it in this run.</param>
internal readonly record struct ReadyKey(double Cycle, long Sequence) : IComparable<ReadyKey>
{
    public int CompareTo(ReadyKey other) =>
        Cycle < other.Cycle ? -1 : Cycle > other.Cycle ? 1 : Sequence.CompareTo(other.Sequence);
}
