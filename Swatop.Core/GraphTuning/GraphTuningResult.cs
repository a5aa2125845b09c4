using System.Collections.Immutable;
using Swatop.Core.Graphs;
using Swatop.Core.Targets;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// A graph tuned as a whole: a schedule for each operator node with the layouts chosen jointly, every
/// figure measured on the target. What a caller waits for is <see cref="EndToEndSeconds"/>: the kernels
/// and every layout step between them and at the graph's edges (the inputs packed, the outputs
/// unpacked), the weights prepared once and not counted. The graph's other nodes (residual adds,
/// poolings, flattens) work in the layout their input lies in and are not timed here.
/// </summary>
/// <param name="Graph">The graph.</param>
/// <param name="Target">The target.</param>
/// <param name="Layers">The operator nodes in execution order.</param>
/// <param name="Plan">The joint layout choice.</param>
/// <param name="FrameworkSeconds">The measured time of the same operators called one by one in the framework's layout, each with its fastest candidate on its own: what the joint choice is never slower than.</param>
/// <param name="Elapsed">How long tuning took.</param>
public sealed record GraphTuningResult(OperatorGraph Graph, ITarget Target, ImmutableArray<GraphLayer> Layers, LayoutPlan Plan, double FrameworkSeconds, TimeSpan Elapsed)
{
    /// <summary>The kernels' time.</summary>
    public double KernelSeconds => Layers.Sum(l => l.KernelSeconds);

    /// <summary>The layout steps' time.</summary>
    public double LayoutSeconds => Layers.Sum(l => l.LayoutSeconds);

    /// <summary>What the caller waits for: kernels and layout steps.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds;

    /// <summary>The graph's operators' flops per second end to end, in GFLOPS.</summary>
    public double Gflops => EndToEndSeconds > 0 ? Graph.Flops / EndToEndSeconds / 1e9 : 0;

    /// <summary>The nodes that are not operators: they run in the layout their input lies in, untimed here.</summary>
    public ImmutableArray<GraphNode> UntimedNodes => [.. Graph.Nodes.Where(n => n is not OperatorNode)];
}
