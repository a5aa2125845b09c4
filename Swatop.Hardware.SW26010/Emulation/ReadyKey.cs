namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The order of the scheduler's <see cref="ReadyQueue"/> and the memory controller's
/// <see cref="Timing.RequestQueue"/>: earliest cycle first, then the order of arrival
/// (runnable CPEs by their clock, DMA requests by their issue cycle).
/// </summary>
/// <param name="Cycle">The CPE's clock when it became runnable, or the request's issue cycle.</param>
/// <param name="Sequence">How many items were queued before it since the queue was cleared.</param>
internal readonly record struct ReadyKey(double Cycle, long Sequence) : IComparable<ReadyKey>
{
    public int CompareTo(ReadyKey other) =>
        Cycle < other.Cycle ? -1 : Cycle > other.Cycle ? 1 : Sequence.CompareTo(other.Sequence);
}
