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
    /// How the kernel spreads operator tensor <paramref name="tensor"/> over the core groups. The groups
    /// share the split loop, each computing a contiguous chunk of the split axis's positions: the output is
    /// split that way, and so is an input with a dimension that the split axis indexes on its own (a
    /// convolution's input when the groups share the batch, its weights when they share the output
    /// channels) in whole periods, since each group reads only its chunk of it, and an epilogue's residual as the output. Any other input is whole in every group, and
    /// so is every tensor when nothing is split.
    /// </summary>
    public virtual Distribution DistributionOf(TensorDeclaration tensor) => DistributionIn(Operator.Expression, tensor);

    /// <summary><see cref="DistributionOf"/> for a tensor of <paramref name="expression"/>, the operator or a view of it that the plan lowers.</summary>
    private protected Distribution DistributionIn(Contraction expression, TensorDeclaration tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var groups = Schedule.CoreGroups;
        // An epilogue's residual is read at the output's indices, so it is spread as the output is: each group reads its own chunk.
        var access = expression.AccessOf(tensor)
            ?? (tensor.Name == ResidualAddStep.Name && tensor.Shape.SequenceEqual(expression.Output.Tensor.Shape) ? expression.Output : null);
        if (groups == 1 || SplitLoop is not { } split || access is null)
        {
            return Distribution.Replicated(groups);
        }

        for (var d = 0; d < access.Indices.Length; d++)
        {
            if (SplitTerm(access.Indices[d], split.Axis) is { } term && tensor.Shape[d] % (term.Coefficient * term.Axis.Extent) == 0)
            {
                return new SplitDistribution(groups, d, term.Coefficient, term.Axis.Extent, split.Step, SplitChunk);
            }
        }

        // An input the split axis does not index alone (a sliding window's rows, say), or whose dimension its periods do not
        // cover exactly (a strided window whose last period reaches into the padding), is read across chunks.
        return Distribution.Replicated(groups);
    }

    /// <summary>
    /// The term of <paramref name="axis"/> in <paramref name="index"/> when the dimension is a mixed-radix
    /// number with the axis as one of its digits (<see cref="SplitDistribution"/>'s
    /// <c>index / coefficient % extent</c>): every other term is either a digit above the axis (a multiple of
    /// the axis's whole span, as a grouped convolution's group) or one of the digits below it, which with
    /// the constant fill exactly one coefficient's positions (as the channel within its group), so that each
    /// position of the dimension belongs to one position of the axis and every position is used.
    /// </summary>
    private static AffineTerm? SplitTerm(AffineExpression index, string axis)
    {
        var term = index.Terms.FirstOrDefault(t => t.Axis.Name == axis);
        if (term is null || term.Coefficient <= 0)
        {
            return null;
        }

        var span = term.Coefficient * term.Axis.Extent;
        var (min, max) = (index.Constant, index.Constant);
        foreach (var other in index.Terms.Where(t => t.Axis.Name != axis))
        {
            if (other.Coefficient > 0 && other.Coefficient % span == 0)
            {
                continue;
            }

            var reach = other.Coefficient * (other.Axis.Extent - 1);
            (min, max) = (min + Math.Min(0, reach), max + Math.Max(0, reach));
        }

        return min == 0 && max == term.Coefficient - 1 ? term : null;
    }

    /// <summary>
    /// Where the kernel of this plan keeps each operator tensor (its inputs, then its output): the layout
    /// its lowering gives the tensor and its distribution over the core groups. What the layout steps
    /// around the kernel move between, and what a cost model prices them by.
    /// </summary>
    public abstract ImmutableArray<TensorPlacement> Placements { get; }

    /// <summary>
    /// The workspace tensors the kernel keeps in each core group's memory besides the operator's (name and elements), which
    /// every run allocates zeroed in each group; none for most algorithms.
    /// </summary>
    public virtual ImmutableArray<(string Name, long Elements)> Workspaces => [];

    /// <summary>Calls the visitor's method for this plan's algorithm: a target prices each algorithm's plans this way, and a new algorithm is a compile error until every pricer handles it.</summary>
    public abstract TResult Accept<TResult>(ISchedulePlanVisitor<TResult> visitor);
}
