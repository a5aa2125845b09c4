namespace Swatop.Cli.Operators;

/// <summary>The median the commands' summaries quote.</summary>
internal static class Median
{
    /// <summary>The median of the finite <paramref name="values"/> (the mean of the middle two for an even count); NaN when there is none.</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
