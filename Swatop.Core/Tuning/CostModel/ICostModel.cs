using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// Estimates a candidate's time from its schedule alone, without running anything: cheap enough to
/// rank a whole space. A target provides its own (<see cref="Targets.ITarget"/>); it must stay apart
/// from the target's measurer, or ranking would only be measuring under another name.
/// </summary>
public interface ICostModel
{
    /// <summary>The model's name, for logs and results.</summary>
    string Name { get; }

    /// <summary>
    /// The estimated time of <paramref name="plan"/> in seconds, whatever its algorithm: end to end (the
    /// layout steps around the kernel and the kernel, constant inputs prepared) or the kernel alone.
    /// </summary>
    double Estimate(SchedulePlan plan, TuningObjective objective = TuningObjective.EndToEnd);

    /// <summary>
    /// A lower bound of <see cref="Estimate"/> over every plan of <paramref name="family"/>, computed without building
    /// them: a ranking skips a family whose bound exceeds the estimates it keeps, so it must never exceed any plan's
    /// estimate. By default 0, which bounds nothing: every plan is estimated.
    /// </summary>
    double LowerBound(PlanFamily family, TuningObjective objective = TuningObjective.EndToEnd) => 0;

    /// <summary>
    /// A lower bound of <see cref="Estimate"/> over every plan of <paramref name="family"/> at least
    /// <see cref="LowerBound"/>, dearer to compute: a ranking orders the families by <see cref="LowerBound"/> and asks
    /// this only of a family it reaches, skipping it when this exceeds the estimates it keeps. It must never exceed any
    /// plan's estimate. By default <see cref="LowerBound"/>.
    /// </summary>
    double TightLowerBound(PlanFamily family, TuningObjective objective = TuningObjective.EndToEnd) => LowerBound(family, objective);

    /// <summary>
    /// The estimated time of layout step <paramref name="layoutStep"/> in seconds, its framework side (the source
    /// of a pack, the destination of an unpack) in the memory the framework shares: what a graph's layout
    /// choice weighs against its kernels.
    /// </summary>
    double EstimateStep(LayoutStep layoutStep);
}
