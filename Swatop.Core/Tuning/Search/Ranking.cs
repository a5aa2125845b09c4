namespace Swatop.Core.Tuning;

/// <summary>
/// What the threads ranking a space share: the next family to take, and the threshold past which a family's bound
/// rules it out, the lowest of the threads' worst kept estimates once a thread keeps <see cref="Keep"/> of them.
/// A thread's worst kept estimate is never below the space's <see cref="Keep"/>-th best distinct estimate, so a
/// family whose bound exceeds the threshold holds none of the best.
/// </summary>
/// <param name="keep">How many distinct estimates each thread keeps: at least 1.</param>
internal sealed class Ranking(int keep)
{
    private int _next = -1;
    private double _threshold = double.PositiveInfinity;

    /// <summary>How many distinct estimates each thread keeps.</summary>
    public int Keep { get; } = keep >= 1 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), keep, $"keep = {keep}: a ranking keeps at least one estimate.");

    /// <summary>The bound past which a family holds none of the best estimates: infinite until a thread keeps <see cref="Keep"/>.</summary>
    public double Threshold => Volatile.Read(ref _threshold);

    /// <summary>The index of the next family to rank, in the order of their bounds; at or past the end once stopped.</summary>
    public int Next() => Interlocked.Increment(ref _next);

    /// <summary>No family is taken after this: the rest are beaten.</summary>
    public void Stop() => Volatile.Write(ref _next, int.MaxValue / 2);

    /// <summary>Lowers the threshold to <paramref name="worstKept"/>, a thread's worst kept estimate, if that is lower.</summary>
    public void Lower(double worstKept)
    {
        var current = Volatile.Read(ref _threshold);
        while (worstKept < current)
        {
            var seen = Interlocked.CompareExchange(ref _threshold, worstKept, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
