using System.Globalization;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>
/// Spearman's rank correlation: the Pearson correlation of the two series' ranks, tied values
/// sharing the average of the ranks they span. 1 when the two orders agree, -1 when reversed.
/// </summary>
public static class SpearmanCorrelation
{
    /// <summary>The rank correlation of <paramref name="x"/> and <paramref name="y"/>; NaN when either series is constant (no order to compare).</summary>
    /// <exception cref="ArgumentException">The series differ in length, have fewer than 2 values, or hold a NaN.</exception>
    public static double Compute(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The series have {x.Count} and {y.Count} values; a correlation pairs them one to one."), nameof(y));
        }

        if (x.Count < 2)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The series have {x.Count} values; a correlation needs at least 2."), nameof(x));
        }

        return Pearson(Ranks(x, nameof(x)), Ranks(y, nameof(y)));
    }

    /// <summary>The 1-based ranks of <paramref name="values"/>, ascending; tied values get the average of their ranks.</summary>
    /// <exception cref="ArgumentException">A value is NaN.</exception>
    public static double[] Ranks(IReadOnlyList<double> values) => Ranks(values, nameof(values));

    private static double[] Ranks(IReadOnlyList<double> values, string parameter)
    {
        ArgumentNullException.ThrowIfNull(values, parameter);
        for (var i = 0; i < values.Count; i++)
        {
            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Value {i} of {parameter} is NaN, which has no rank."), parameter);
            }
        }

        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            // Positions start..end-1 hold ranks start+1..end; each gets their mean.
            var rank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                ranks[order[i]] = rank;
            }

            start = end;
        }

        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        double meanX = x.Average(), meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }

        return varianceX == 0 || varianceY == 0 ? double.NaN : covariance / Math.Sqrt(varianceX * varianceY);
    }
}
