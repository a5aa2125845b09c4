using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Benchmarks;

/// <summary>
/// How fast any schedule of the implicit GEMM's space could run one of the in-place 1 x 1 layers of
/// <see cref="ImageRowsProfile.Layers"/>, end to end: for every plan of the space, the larger of its CPEs' compute and its
/// controller's DMA seconds (the cost model's, which the profile finds within 0.5% and equal to the emulator's on these
/// kernels), as if the two overlapped perfectly, plus the model's price of its layout steps. No kernel of the space runs
/// faster than its bound. Printed for the LDM's planning budget (the space the tuner searches) and with the budget lifted, where
/// a plan's LDM bytes tell what a schedule under a given time would need.
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- image-rows-bound LAYER [allowed ms]</c>.
/// </summary>
public static class ImageRowsBound
{
    /// <summary>Prints the bounds of each layer of <see cref="ImageRowsProfile.Layers"/> named with <paramref name="part"/>, and, with <paramref name="allowedMs"/>, the plans whose bound is under it.</summary>
    /// <param name="part">A part of a layer's name; every layer whose name contains it.</param>
    /// <param name="allowedMs">The end-to-end time to compare with, in ms; 0 for none.</param>
    public static void Run(string part, double allowedMs)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentOutOfRangeException.ThrowIfNegative(allowedMs);
        var layers = ImageRowsProfile.Layers.Where(l => l.Name.Contains(part, StringComparison.Ordinal)).ToList();
        if (layers.Count == 0)
        {
            throw new ArgumentException($"layer = '{part}' names none of [{string.Join(", ", ImageRowsProfile.Layers.Select(l => l.Name))}].", nameof(part));
        }

        var target = Sw26010Target.Default;
        var model = new Sw26010CostModel(target.Spec);
        foreach (var (name, spec) in layers)
        {
            foreach (var lifted in new[] { false, true })
            {
                var limits = lifted ? target.Limits with { LdmBudgetBytes = long.MaxValue } : target.Limits;
                var started = DateTime.UtcNow;
                var bounds = ImplicitGemmSpace.For(spec, limits).EnumeratePlans().Select(plan => Bound(model, plan)).ToList();
                var best = bounds.MinBy(b => b.EndToEnd)!;
                var label = lifted ? "LDM unbounded" : string.Create(CultureInfo.InvariantCulture, $"LDM {target.Limits.LdmBudgetBytes} bytes");
                Print($"{name}, {label}: {bounds.Count} plans in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
                Print($"  best bound {best.EndToEnd * 1e3:F3} ms (compute {best.Compute * 1e3:F3}, DMA {best.Dma * 1e3:F3}, steps {best.Steps * 1e3:F3}; {best.Plan.LdmBytes} bytes of LDM): {best.Plan.Schedule}");
                var fastestInPlace = bounds.Where(b => b.Steps == 0).DefaultIfEmpty().MinBy(b => b?.EndToEnd ?? double.MaxValue);
                if (fastestInPlace is not null && fastestInPlace != best)
                {
                    Print($"  best in place {fastestInPlace.EndToEnd * 1e3:F3} ms (compute {fastestInPlace.Compute * 1e3:F3}, DMA {fastestInPlace.Dma * 1e3:F3}; {fastestInPlace.Plan.LdmBytes} bytes): {fastestInPlace.Plan.Schedule}");
                }

                if (allowedMs > 0)
                {
                    var under = bounds.Where(b => b.EndToEnd * 1e3 <= allowedMs).ToList();
                    Print($"  bounds at or under {allowedMs:F2} ms: {under.Count}");
                    if (under.Count > 0)
                    {
                        var least = under.MinBy(b => b.Plan.LdmBytes)!;
                        Print($"  least LDM among them {least.Plan.LdmBytes} bytes, bound {least.EndToEnd * 1e3:F3} ms (compute {least.Compute * 1e3:F3}, DMA {least.Dma * 1e3:F3}, steps {least.Steps * 1e3:F3}): {least.Plan.Schedule}");
                    }
                }
            }
        }
    }

    /// <summary>A plan's bound: the larger of its compute and its DMA seconds, plus its layout steps' price.</summary>
    private static PlanBound Bound(Sw26010CostModel model, LoopPlan plan)
    {
        var account = model.Account(plan);
        var steps = model.StepSeconds(plan);
        var dma = account.HiddenDmaSeconds + account.ExposedDmaSeconds;
        return new PlanBound(plan, account.ComputeSeconds, dma, steps, Math.Max(account.ComputeSeconds, dma) + steps);
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    /// <summary>One plan's bound and its parts, in seconds.</summary>
    private sealed record PlanBound(LoopPlan Plan, double Compute, double Dma, double Steps, double EndToEnd);
}
