using System.Collections.Immutable;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// An explicit im2col schedule checked against its convolution and target: the plan of its GEMM over the
/// column matrix (<see cref="Gemm"/>, an implicit GEMM plan of the 1 x 1 convolution
/// <see cref="Im2colAlgorithm.ColumnOperator"/>), and the convolution's tensors where the kernel keeps them.
/// The input lies as the column matrix, in the arrangement the GEMM reads it in (a layout with a
/// <see cref="Lowering.TensorLayout.Window"/>), which the column step lays out; the weights as the GEMM reads
/// the 1 x 1 filter (as they are when it reads them in place, else packed once through the whole-filter window);
/// the output and the epilogue's tensors as the GEMM keeps them, their shapes being the convolution's.
/// </summary>
public sealed class Im2colPlan : SchedulePlan
{
    private Im2colPlan(OperatorSpec spec, Im2colSchedule schedule, LoopPlan gemm, Conv2dAttributes conv)
        : base(spec, gemm.Limits)
    {
        Schedule = schedule;
        Gemm = gemm;
        Placements = [.. gemm.Placements.Select(p => Convert(spec, conv, p))];
    }

    /// <inheritdoc/>
    public override Im2colSchedule Schedule { get; }

    /// <summary>The plan of the GEMM over the column matrix.</summary>
    public LoopPlan Gemm { get; }

    /// <inheritdoc/>
    public override long LdmBytes => Gemm.LdmBytes;

    /// <inheritdoc/>
    public override PlannedLoop? SplitLoop => Gemm.SplitLoop;

    /// <inheritdoc/>
    public override long SplitChunk => Gemm.SplitChunk;

    /// <inheritdoc/>
    public override bool SplitSharesAlike => Gemm.SplitSharesAlike;

    /// <inheritdoc/>
    /// <remarks>In the order of the GEMM's: the input (as its column matrix), the weights, the epilogue's tensors, then the output.</remarks>
    public override ImmutableArray<TensorPlacement> Placements { get; }

    /// <summary>The placement of the input's column matrix: what the column step lays out.</summary>
    public TensorPlacement Columns => Placements.First(p => p.Tensor.Name == Im2colAlgorithm.InputName);

    /// <inheritdoc/>
    public override Distribution DistributionOf(TensorDeclaration tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Placements.FirstOrDefault(p => p.Tensor.Name == tensor.Name)?.Distribution ?? base.DistributionOf(tensor);
    }

    /// <summary>Checks <paramref name="schedule"/> against <paramref name="spec"/> and a target's <paramref name="limits"/> and unfolds it.</summary>
    /// <exception cref="ScheduleException">The algorithm does not apply, the GEMM's schedule breaks a rule of the 1 x 1 convolution, its core groups are not the schedule's, or the column step cannot lay out the matrix it reads.</exception>
    public static Im2colPlan Create(OperatorSpec spec, Im2colSchedule schedule, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        if (Im2colAlgorithm.WhyNotWhole(spec) is { } why)
        {
            throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm), $"The algorithm '{Im2colSchedule.AlgorithmName}' with the whole column matrix does not apply to {spec}: {why}");
        }

        if (schedule.CoreGroups != schedule.Gemm.CoreGroups || schedule.SplitAxis != schedule.Gemm.SplitAxis)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalSplit, nameof(Schedule.CoreGroups),
                $"An im2col schedule runs on its GEMM's core groups: CoreGroups = {schedule.CoreGroups} on {schedule.SplitAxis ?? "nothing"}, but the GEMM's are {schedule.Gemm.CoreGroups} on {schedule.Gemm.SplitAxis ?? "nothing"}.");
        }

        if (schedule.Gemm.GroupMemory)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalGroupMemory, nameof(ImplicitGemmSchedule.GroupMemory),
                $"An im2col schedule's GEMM places no tensor of its own: the column step and the im2col plan place them, so its GroupMemory must be false, not true ({schedule.Gemm}).");
        }

        var conv = (Conv2dAttributes)spec.Attributes;
        var plan = new Im2colPlan(spec, schedule, LoopPlan.Create(Im2colAlgorithm.ColumnOperator(spec), schedule.Gemm, limits), conv);
        return plan.ColumnsProblem(spec, limits, describe: true) is { } problem
            ? throw new ScheduleException(ScheduleDiagnostics.IllegalColumns, nameof(Im2colSchedule.Gemm), problem)
            : plan;
    }

    /// <summary>
    /// The plan around <paramref name="gemm"/>, a checked plan of <paramref name="spec"/>'s column operator
    /// (<see cref="Im2colAlgorithm.ColumnOperator"/>), when the column step can lay out the matrix it reads;
    /// <see langword="null"/> otherwise. What <see cref="Create"/> gives for the same GEMM schedule, without
    /// planning the GEMM again or throwing for a point the space leaves out.
    /// </summary>
    internal static Im2colPlan? Around(OperatorSpec spec, LoopPlan gemm, TargetLimits limits)
    {
        var plan = new Im2colPlan(spec, Im2colSchedule.Of(gemm.Schedule), gemm, (Conv2dAttributes)spec.Attributes);
        return plan.ColumnsProblem(spec, limits, describe: false) is null ? plan : null;
    }

    /// <summary>Why the column step cannot lay out the matrix the GEMM reads (the text only when <paramref name="describe"/>), or null when it can.</summary>
    private string? ColumnsProblem(OperatorSpec spec, TargetLimits limits, bool describe)
    {
        foreach (var placement in Placements.Where(p => p.Layout.Window is not null))
        {
            var step = LayoutStep.Pack(placement, spec.ElementType);
            if (!describe && !ColumnStepLowering.Applies(step))
            {
                return "columns";
            }

            if (describe && ColumnStepLowering.WhyNot(step) is { } stepWhy)
            {
                return $"The GEMM's schedule {Schedule.Gemm} keeps '{placement.Tensor.Name}' as the column step cannot lay it out: {stepWhy}";
            }

            var bytes = ColumnStepLowering.LdmElements(placement.Layout.Window!) * step.ElementBytes;
            if (bytes > limits.LdmBudgetBytes)
            {
                return describe
                    ? $"The column step of '{placement.Tensor.Name}' needs {bytes} bytes of LDM a CPE for its output rows of {((Conv2dAttributes)spec.Attributes).OutWidth} columns; the budget is {limits.LdmBudgetBytes}."
                    : "LDM";
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.VisitIm2col(this);
    }

    /// <summary>A placement of the GEMM's tensor as one of the convolution's.</summary>
    private static TensorPlacement Convert(OperatorSpec spec, Conv2dAttributes conv, TensorPlacement placement)
    {
        var name = placement.Tensor.Name;
        var tensor = spec.Inputs.Append(spec.Expression.Output.Tensor).First(t => t.Name == name);
        var layout = name switch
        {
            Im2colAlgorithm.InputName => placement.Layout with { Tensor = tensor, Window = ColumnWindow.Input(conv) },
            Im2colAlgorithm.WeightsName when placement.Layout.IsIdentity => TensorLayout.RowMajor(tensor),
            Im2colAlgorithm.WeightsName => placement.Layout with { Tensor = tensor, Window = ColumnWindow.WholeFilter(conv) },
            _ => placement.Layout with { Tensor = tensor },
        };
        return placement with { Layout = layout };
    }
}
