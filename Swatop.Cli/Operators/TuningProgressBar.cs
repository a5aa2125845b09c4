using System.Globalization;
using Swatop.Core.Tuning;

namespace Swatop.Cli.Operators;

/// <summary>
/// A one-line progress bar on a terminal: which operator of how many is tuning, how many of its
/// candidates are measured and the best time so far, redrawn in place after each measurement.
/// </summary>
/// <param name="writer">The terminal (standard error, so standard output keeps only results).</param>
/// <param name="operators">How many operators the command tunes.</param>
internal sealed class TuningProgressBar(TextWriter writer, int operators) : IProgress<TuningProgress>
{
    private const int Width = 30;
    private int _operator;
    private string _name = string.Empty;
    private int _length;

    /// <summary>Starts the bar of the next operator.</summary>
    public void Next(string name)
    {
        _operator++;
        _name = name;
        Draw(0, 1, double.NaN);
    }

    /// <inheritdoc/>
    public void Report(TuningProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Draw(value.Measured, value.Budget, value.BestSeconds);
    }

    /// <summary>Clears the line, so what follows starts on a clean one.</summary>
    public void Clear()
    {
        writer.Write("\r" + new string(' ', _length) + "\r");
        writer.Flush();
    }

    private void Draw(int measured, int budget, double bestSeconds)
    {
        var done = (int)Math.Round(Width * ((_operator - 1) + ((double)measured / Math.Max(1, budget))) / Math.Max(1, operators));
        var best = double.IsNaN(bestSeconds) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", best {bestSeconds * 1e3:F2} ms");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', done)}{new string('.', Width - done)}] {_operator}/{operators} {_name}: measured {measured}/{budget}{best}");
        writer.Write("\r" + line.PadRight(_length));
        _length = line.Length;
        writer.Flush();
    }
}
