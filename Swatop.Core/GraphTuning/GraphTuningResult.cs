using System.Collections.Immutable;
using Swatop.Core.Graphs;
using Swatop.Core.Targets;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// A graph tuned as a whole: a schedule for each operator node with the layouts chosen jointly, every
/// figure measured on the target. What a caller waits for is <see cref="EndToEndSeconds"/>: the kernels
/// and every layout step between them and at the graph's edges (the inputs packed, the outputs
/// unpacked), the weights prepared once and not counted, and the graph's other nodes (poolings, adds that did not
/// fuse, concatenations, softmaxes) as the target runs them (<see cref="NodeTimes"/>: a CPE kernel, or the MPE where
/// that is faster or where the plan leaves the node's input in a kernel's placement, with the steps around it). A flatten or a reshape is a view and takes no time (<see cref="ViewNodes"/>); a node the target
/// does not time is listed in <see cref="UntimedNodes"/>. A concatenation whose producers write its parts in place is a
/// view too (<see cref="ConcatViews"/>), listed with a time of 0.
/// </summary>
/// <param name="Graph">The graph.</param>
/// <param name="Target">The target.</param>
/// <param name="Layers">The operator nodes in execution order.</param>
/// <param name="Plan">The joint layout choice.</param>
/// <param name="FrameworkSeconds">The measured time of the same operators called one by one in the framework's layout, each with its fastest candidate on its own, and the other nodes as timed (<see cref="NodeTimes"/>): what the joint choice is never slower than.</param>
/// <param name="Elapsed">How long tuning took.</param>
public sealed record GraphTuningResult(OperatorGraph Graph, ITarget Target, ImmutableArray<GraphLayer> Layers, LayoutPlan Plan, double FrameworkSeconds, TimeSpan Elapsed)
{
    /// <summary>The kernels' time.</summary>
    public double KernelSeconds => Layers.Sum(l => l.KernelSeconds);

    /// <summary>The layout steps' time.</summary>
    public double LayoutSeconds => Layers.Sum(l => l.LayoutSeconds);

    /// <summary>
    /// The times of the nodes that are not operators nor views, named after them, in execution order: what the target
    /// measured (<see cref="ITarget.MeasureNode"/>); empty when the result was made without them.
    /// </summary>
    public ImmutableArray<StepTime> NodeTimes { get; init; } = [];

    /// <summary>
    /// Whether node <paramref name="node"/> (not an operator) runs as its compute cores' kernel: the target timed it there
    /// (<see cref="StepTime.OnMpe"/> false) and every activation it reads lies in the framework's layout
    /// (<paramref name="inputsInFrameworkLayout"/>); otherwise the host evaluates it where its input lies. The graph run and the
    /// emitted network both follow this rule, and the tuner times a node the plan leaves in a placement as the host's
    /// (<see cref="ITarget.MeasureNodeOnHost"/> and <see cref="HostNodeSteps"/>), so its time says where it runs.
    /// </summary>
    public bool RunsOnComputeCores(GraphNode node, bool inputsInFrameworkLayout)
    {
        ArgumentNullException.ThrowIfNull(node);
        return inputsInFrameworkLayout && NodeTimes.Any(t => t.Name == node.Name && !t.OnMpe);
    }

    /// <summary>
    /// The concatenations that run as views (<see cref="ConcatView"/>: their producers write each part into its slice of
    /// the joined buffer); each has a time of 0 in <see cref="NodeTimes"/>. Empty when the result was made without them.
    /// </summary>
    public ImmutableArray<ConcatView> ConcatViews { get; init; } = [];

    /// <summary>Why each other concatenation stays a copy (<see cref="ConcatViewRefusal"/>), in execution order.</summary>
    public ImmutableArray<ConcatViewRefusal> ConcatRefusals { get; init; } = [];

    /// <summary>The view of concatenation <paramref name="node"/>, or null when it is a copy (or no concatenation).</summary>
    public ConcatView? ConcatViewOf(GraphNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ConcatViews.FirstOrDefault(v => v.Node == node.Name);
    }

    /// <summary>The time of the nodes that are not operators.</summary>
    public double NodeSeconds => NodeTimes.Sum(n => n.Seconds);

    /// <summary>What the caller waits for: kernels, layout steps and the other nodes.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds + NodeSeconds;

    /// <summary>The graph's operators' flops per second end to end, in GFLOPS.</summary>
    public double Gflops => EndToEndSeconds > 0 ? Graph.Flops / EndToEndSeconds / 1e9 : 0;

    /// <summary>The nodes that are neither operators nor views and have no time in <see cref="NodeTimes"/>: the target did not time them.</summary>
    public ImmutableArray<GraphNode> UntimedNodes => [.. Graph.Nodes.Where(n => n is not OperatorNode && !IsView(n) && !NodeTimes.Any(t => t.Name == n.Name))];

    /// <summary>The flattens and reshapes: views of their input in the framework's layout (or of a placement's trailing unit dimensions dropped), no time.</summary>
    public ImmutableArray<GraphNode> ViewNodes => [.. Graph.Nodes.Where(IsView)];

    /// <summary>Whether <paramref name="node"/> is a view of its input (a flatten or a reshape), which takes no time.</summary>
    public static bool IsView(GraphNode node) => node is FlattenNode or ReshapeNode;
}
