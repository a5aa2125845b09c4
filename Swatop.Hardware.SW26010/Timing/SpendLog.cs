namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>
/// The cycles a CPE spent computing, charge by charge, in the order it spent them, as runs of equal
/// charges: what replaying them adds to a clock is what spending them one by one added, bit for bit
/// (floating-point sums depend on their order, so the charges are kept, not only their total).
/// </summary>
/// <remarks>
/// When every charge is a whole number of cycles, the log also keeps their total, exact below 2^53, and
/// <see cref="ReplayOn"/> spends it at once where that is provably the same: the clock's readings are
/// non-negative and only grow, so every partial sum lies between the reading and the reading plus the
/// total; when the reading is a multiple of the unit in the last place of that final sum (and that unit
/// is at most one cycle, so every whole charge is one too), every partial sum is a multiple of a unit at
/// least as fine as its own, hence exactly representable, and adding the charges one by one never rounds:
/// the end is the reading plus the total, exactly, as one addition gives. Otherwise it spends the charges
/// one by one.
/// </remarks>
internal sealed class SpendLog
{
    private const double WholeLimit = 9007199254740992.0; // 2^53: every whole number below it is a double

    private readonly List<(double Cycles, long Times)> _runs = [];
    private bool _whole = true;

    /// <summary>The charges logged, counting repeats.</summary>
    public long Charges { get; private set; }

    /// <summary>The sum of the charges (exact while they are whole and it is below 2^53).</summary>
    public double Total { get; private set; }

    /// <summary>Logs one charge.</summary>
    public void Add(double cycles)
    {
        Charges++;
        Total += cycles;
        _whole &= cycles >= 0 && Math.Floor(cycles) == cycles && Total < WholeLimit;
        if (_runs.Count > 0 && _runs[^1].Cycles.Equals(cycles))
        {
            _runs[^1] = (cycles, _runs[^1].Times + 1);
        }
        else
        {
            _runs.Add((cycles, 1));
        }
    }

    /// <summary>Spends every logged charge on <paramref name="clock"/>, in order, or their total where that ends the same (see the remarks).</summary>
    public void ReplayOn(ref CpeClock clock)
    {
        if (_whole && AddsExactly(clock.Now, Total) && AddsExactly(clock.Compute, Total))
        {
            clock.Spend(Total);
            return;
        }

        foreach (var (cycles, times) in _runs)
        {
            for (var i = 0L; i < times; i++)
            {
                clock.Spend(cycles);
            }
        }
    }

    /// <summary>
    /// Whether adding whole non-negative charges summing to <paramref name="total"/> to <paramref name="reading"/>
    /// one by one never rounds: the reading is a multiple of the unit in the last place of the final sum, and that
    /// unit is at most 1.
    /// </summary>
    internal static bool AddsExactly(double reading, double total)
    {
        var end = reading + total;
        if (!(reading >= 0) || !(end < WholeLimit))
        {
            return false;
        }

        if (end == 0)
        {
            return true;
        }

        // The unit is 2^(ilogb(end) - 52), so the reading is a multiple of it when the reading scaled by its inverse is whole.
        // Scaling by a power of two is exact (the scaled reading lies below 2^53, as the reading lies at or below the end), so
        // this is the remainder test without the floating-point remainder, which costs a library call each time.
        // A unit below the least subnormal (an end below 2^-1022) is no double: such readings are not taken as on the grid.
        var exponent = Math.ILogB(end) - 52;
        if (exponent < -1074)
        {
            return false;
        }

        var scaled = Math.ScaleB(reading, -exponent);
        return Math.Floor(scaled) == scaled;
    }
}
