using System.Globalization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// A sliding window of a schedule: one operand reads its dimension <see cref="Dim"/> at
/// <c>Output * Stride + Tap * Dilation + c</c> (a convolution's input at <c>ow * s + kw * d - p</c>).
/// With <see cref="Window"/> output tiles in LDM, the loops walk the band's input columns and, inside,
/// the taps that use each column, so every input column is fetched once per band.
/// </summary>
/// <param name="Output">The index axis the band covers (<c>ow</c>).</param>
/// <param name="Tap">The reduction axis paired with it (<c>kw</c>).</param>
/// <param name="Operand">The operand that reads both in one dimension.</param>
/// <param name="Dim">That dimension.</param>
/// <param name="Stride">The output axis's coefficient there.</param>
/// <param name="Dilation">The tap axis's coefficient there.</param>
/// <param name="Window">Output positions per band.</param>
public sealed record WindowPlan(Axis Output, Axis Tap, TensorAccess Operand, int Dim, long Stride, long Dilation, int Window)
{
    /// <summary>Input columns one full band reads: <c>(Window - 1) * Stride + (Tap - 1) * Dilation + 1</c>.</summary>
    public long InputColumns => ((Window - 1) * Stride) + ((Tap.Extent - 1) * Dilation) + 1;

    /// <summary>Whether <paramref name="operand"/> reads the tap axis outside the window's dimension.</summary>
    public bool ReadsTapElsewhere(TensorAccess operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        return ReferenceEquals(operand, Operand)
            ? operand.Indices.Where((_, dim) => dim != Dim).Any(index => index.DependsOn(Tap))
            : GemmMapping.Reads(operand, Tap);
    }

    /// <summary>
    /// The window of <paramref name="schedule"/> over <paramref name="nest"/>'s GEMM axes, or <see langword="null"/>
    /// when it has none or with the <paramref name="error"/> that says why its window does not fit the operator.
    /// </summary>
    internal static WindowPlan? Create(LoopNest nest, ImplicitGemmSchedule schedule, out ScheduleException? error)
    {
        error = null;
        if (schedule.WindowAxis is null)
        {
            error = schedule.Window == 1 ? null : Error(nameof(ImplicitGemmSchedule.Window), $"Window = {schedule.Window} needs a WindowAxis; without one it must be 1.");
            return null;
        }

        var expression = nest.Operator.Expression;
        var output = expression.IndexAxes.FirstOrDefault(a => a.Name == schedule.WindowAxis);
        if (output is null || output == nest.M || output == nest.N)
        {
            error = Error(nameof(ImplicitGemmSchedule.WindowAxis), $"WindowAxis = '{schedule.WindowAxis}' must be an index axis other than the GEMM's M and N.");
            return null;
        }

        if (schedule.Window < 1 || schedule.Window > output.Extent)
        {
            error = Error(nameof(ImplicitGemmSchedule.Window), string.Create(CultureInfo.InvariantCulture, $"Window = {schedule.Window} must be between 1 and the extent {output.Extent} of axis '{output.Name}'."));
            return null;
        }

        foreach (var operand in nest.Inputs)
        {
            var dims = Enumerable.Range(0, operand.Indices.Length).Where(d => operand.Indices[d].DependsOn(output)).ToList();
            if (dims.Count != 1 || nest.Inputs.Any(other => !ReferenceEquals(other, operand) && GemmMapping.Reads(other, output)))
            {
                continue;
            }

            var index = operand.Indices[dims[0]];
            var taps = index.Terms.Where(t => t.Axis.Kind == AxisKind.Reduction && t.Axis.Name != nest.K.Name).ToList();
            if (index.Terms.Length == 2 && taps.Count == 1 && taps[0].Coefficient > 0 && index.CoefficientOf(output) > 0)
            {
                return new WindowPlan(output, taps[0].Axis, operand, dims[0], index.CoefficientOf(output), taps[0].Coefficient, schedule.Window);
            }
        }

        error = Error(nameof(ImplicitGemmSchedule.WindowAxis),
            $"WindowAxis = '{output.Name}' is no sliding window: one operand must read it in exactly one dimension as '{output.Name} * stride + tap * dilation + c' with a reduction axis other than K, and the other operand must not read it.");
        return null;
    }

    private static ScheduleException Error(string decision, string message) => new(ScheduleDiagnostics.IllegalWindow, decision, message);
}
