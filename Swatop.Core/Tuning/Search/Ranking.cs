namespace Swatop.Core.Tuning;

/// <summary>
/// What the threads ranking a space share: the next family to take, and the threshold past which a family's bound
/// rules it out: the worst of the <see cref="Keep"/> best distinct estimates any thread has made so far, once there
/// are that many. It only falls as estimates come, and never below the space's <see cref="Keep"/>-th best distinct
/// estimate (every estimate it keeps is one of a plan), so a family whose bound exceeds it holds none of the best.
/// </summary>
internal sealed class Ranking(int keep)
{
    private int _next = -1;
    private double _threshold = double.PositiveInfinity;
    private readonly SortedSet<double> _kept = [];

    /// <summary>How many distinct estimates each thread keeps.</summary>
    public int Keep { get; } = keep >= 1 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), keep, $"keep = {keep}: a ranking keeps at least one estimate.");

    /// <summary>The bound past which a family holds none of the best estimates: infinite until <see cref="Keep"/> distinct estimates are made.</summary>
    public double Threshold => Volatile.Read(ref _threshold);

    /// <summary>The index of the next family to rank, in the order of their bounds; at or past the end once stopped.</summary>
    public int Next() => Interlocked.Increment(ref _next);

    /// <summary>No family is taken after this: the rest are beaten.</summary>
    public void Stop() => Volatile.Write(ref _next, int.MaxValue / 2);

    /// <summary>
    /// Counts <paramref name="estimate"/>, a plan's estimate, among the best distinct estimates made so far: the
    /// threshold becomes the worst of the <see cref="Keep"/> best once there are that many.
    /// </summary>
    public void Offer(double estimate)
    {
        if (estimate >= Threshold)
        {
            return;
        }

        lock (_kept)
        {
            if (!_kept.Add(estimate))
            {
                return;
            }

            if (_kept.Count > Keep)
            {
                _kept.Remove(_kept.Max);
            }

            if (_kept.Count == Keep)
            {
                Volatile.Write(ref _threshold, _kept.Max);
            }
        }
    }
}
