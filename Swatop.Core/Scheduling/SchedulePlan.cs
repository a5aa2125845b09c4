using System.Collections.Immutable;
using Swatop.Core.Layouts;

namespace Swatop.Core.Scheduling;

/// <summary>
/// A schedule checked against its operator and target and unfolded into the facts that lowering and
/// cost models read. Each algorithm has its own kind of plan; what every plan says is here: the LDM it
/// takes and how the core groups share the work. Immutable, so a plan shared by threads is only read.
/// </summary>
public abstract class SchedulePlan
{
    /// <summary>Only the algorithms of this library make plans.</summary>
    private protected SchedulePlan(OperatorSpec spec, TargetLimits limits)
    {
        Operator = spec;
        Limits = limits;
    }

    /// <summary>The operator.</summary>
    public OperatorSpec Operator { get; }

    /// <summary>The schedule.</summary>
    public abstract Schedule Schedule { get; }

    /// <summary>The target's limits the plan was checked against.</summary>
    public TargetLimits Limits { get; }

    /// <summary>LDM bytes per CPE the kernel's buffers take, each aligned, double buffers counted twice.</summary>
    public abstract long LdmBytes { get; }

    /// <summary>The loop the core groups split, or <see langword="null"/> when one core group does all the work.</summary>
    public abstract PlannedLoop? SplitLoop { get; }

    /// <summary>Iterations of <see cref="SplitLoop"/> per core group (the last may get fewer); 0 without a split.</summary>
    public abstract long SplitChunk { get; }

    /// <summary>
    /// Whether every core group's share of the split loop runs the same kernel in time (as many
    /// iterations, no border tile among them), so that a timing-only run may emulate one of them for all.
    /// </summary>
    public abstract bool SplitSharesAlike { get; }

    /// <summary>
    /// How the kernel spreads operator tensor <paramref name="tensor"/> over the core groups: every group
    /// holds the inputs whole; the output is split as the groups share the split loop, each computing a
    /// contiguous chunk of the split axis's positions, or is whole in each group when nothing is split.
    /// </summary>
    public Distribution DistributionOf(TensorDeclaration tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var groups = Schedule.CoreGroups;
        var output = Operator.Expression.Output;
        if (groups == 1 || SplitLoop is not { } split || !tensor.Equals(output.Tensor))
        {
            return Distribution.Replicated(groups);
        }

        for (var d = 0; d < output.Indices.Length; d++)
        {
            foreach (var term in output.Indices[d].Terms)
            {
                if (term.Axis.Name == split.Axis)
                {
                    return new SplitDistribution(groups, d, term.Coefficient, term.Axis.Extent, split.Step, SplitChunk);
                }
            }
        }

        // The output holds every index axis; an axis it does not hold would leave each group the whole of it.
        return Distribution.Replicated(groups);
    }

    /// <summary>
    /// Where the kernel of this plan keeps each operator tensor (its inputs, then its output): the layout
    /// its lowering gives the tensor and its distribution over the core groups. What the layout steps
    /// around the kernel move between, and what a cost model prices them by.
    /// </summary>
    public abstract ImmutableArray<TensorPlacement> Placements { get; }

    /// <summary>Calls the visitor's method for this plan's algorithm: a target prices each algorithm's plans this way, and a new algorithm is a compile error until every pricer handles it.</summary>
    public abstract TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor);
}
