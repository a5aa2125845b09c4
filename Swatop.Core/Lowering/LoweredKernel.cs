using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Lowering;

/// <summary>
/// An operator lowered under one schedule: the SPMD loop kernel every CPE of a core group runs and
/// the host's side of it, the layouts the layout steps pack the framework tensors into and unpack the
/// output from, and how the core groups share the work (<see cref="Placements"/>).
/// </summary>
/// <param name="Plan">The checked schedule.</param>
/// <param name="Kernel">The loop kernel.</param>
/// <param name="Layouts">The internal layout of each operator tensor, by tensor name.</param>
public sealed record LoweredKernel(SchedulePlan Plan, LoopKernel Kernel, ImmutableDictionary<string, TensorLayout> Layouts)
{
    /// <summary>The operator.</summary>
    public OperatorSpec Operator => Plan.Operator;

    /// <summary>The schedule.</summary>
    public Schedule Schedule => Plan.Schedule;

    /// <summary>The operator's input tensors, in the order a run and the emitted entry function take them: the contraction's, then the epilogue's (<see cref="OperatorSpec.Inputs"/>).</summary>
    public ImmutableArray<TensorDeclaration> Inputs => [.. Operator.Inputs];

    /// <summary>The operator's output tensor.</summary>
    public TensorDeclaration Output => Operator.Expression.Output.Tensor;

    /// <summary>Every tensor the host hands the kernel: the <see cref="Inputs"/>, then the <see cref="Output"/>.</summary>
    public ImmutableArray<TensorDeclaration> Operands => Inputs.Add(Output);

    /// <summary>
    /// Where the kernel keeps each operator tensor, by tensor name: its layout and how it is spread over
    /// the schedule's core groups. Every group holds the whole of each input; the output is split as the
    /// core groups share the split loop (<see cref="SchedulePlan.SplitLoop"/>), each group computing a
    /// contiguous chunk of the split axis's positions, or is whole in each group when nothing is split.
    /// </summary>
    public ImmutableDictionary<string, TensorPlacement> Placements =>
        Layouts.ToImmutableDictionary(pair => pair.Key, pair => new TensorPlacement(pair.Value, DistributionOf(pair.Value.Tensor)), StringComparer.Ordinal);

    /// <summary>The placement of the output.</summary>
    public TensorPlacement OutputPlacement => new(Layouts[Output.Name], DistributionOf(Output));

    /// <summary>
    /// The form a call takes once a constant input is prepared (<see cref="PreparedForm"/>), or null when preparing only packs
    /// constants into their layouts: the composite Winograd's filters transformed once into U.
    /// </summary>
    public PreparedForm? Prepared { get; init; }

    /// <summary>The same lowering with another (optimized) kernel.</summary>
    public LoweredKernel WithKernel(LoopKernel kernel) => this with { Kernel = kernel };

    /// <summary>How <paramref name="tensor"/> is spread over the core groups (<see cref="SchedulePlan.DistributionOf"/>).</summary>
    private Distribution DistributionOf(TensorDeclaration tensor) => Plan.DistributionOf(tensor);
}
