using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Lowering;

/// <summary>
/// An operator lowered under one schedule: the SPMD loop kernel every CPE of a core group runs and
/// the host's side of it, the layouts the host packs the framework tensors into and unpacks the
/// output from, and how the core groups share the work.
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

    /// <summary>The same lowering with another (optimized) kernel.</summary>
    public LoweredKernel WithKernel(LoopKernel kernel) => this with { Kernel = kernel };

    /// <summary>
    /// The core group that computes output element <paramref name="outputIndex"/> (framework
    /// indices): the one whose share of the split loop holds the element's position on it.
    /// </summary>
    public int OwnerOf(ReadOnlySpan<long> outputIndex)
    {
        if (Plan.SplitLoop is not { } split)
        {
            return 0;
        }

        var output = Operator.Expression.Output;
        for (var d = 0; d < output.Indices.Length; d++)
        {
            foreach (var term in output.Indices[d].Terms)
            {
                if (term.Axis.Name == split.Axis)
                {
                    var axisValue = outputIndex[d] / term.Coefficient % term.Axis.Extent;
                    return (int)(axisValue / split.Step / Plan.SplitChunk);
                }
            }
        }

        return 0;
    }
}
