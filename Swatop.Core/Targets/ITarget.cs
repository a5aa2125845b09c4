using Microsoft.Extensions.Logging;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Targets;

/// <summary>
/// A machine Swatop compiles for: its limits for the scheduler, and the step that turns an
/// optimized kernel into something that runs. Everything hardware-specific lives behind it.
/// </summary>
public interface ITarget
{
    /// <summary>The target's name, e.g. <c>sw26010</c>.</summary>
    string Name { get; }

    /// <summary>
    /// A stable text that identifies the machine as far as timing goes: equal for two targets whose
    /// kernels take the same time, different when any figure that affects a kernel's time differs.
    /// Deterministic across runs, processes and hosts (no hash codes of the runtime, no culture).
    /// Tuning records are keyed by it, next to <see cref="OperatorSpec.Signature"/>.
    /// </summary>
    string Signature { get; }

    /// <summary>What the scheduler must respect.</summary>
    TargetLimits Limits { get; }

    /// <summary>
    /// The analytic model that ranks schedules for this target without running them, which the
    /// default, model-guided tuning needs; null while the target has none.
    /// </summary>
    Tuning.ICostModel? CostModel { get; }

    /// <summary>Optimizes a lowered kernel with the target's pass pipeline and makes it runnable.</summary>
    /// <exception cref="InvalidOperationException">A pass rejects the kernel (the LDM plan does not fit, verification fails).</exception>
    ICompiledKernel Compile(LoweredKernel lowered, ILogger? logger = null);

    /// <summary>
    /// Runs layout step <paramref name="layoutStep"/> for its time alone: its framework side (the source of a
    /// pack, the destination of an unpack) in the memory the framework shares, every other side in the core
    /// groups' own memories. No data moves.
    /// </summary>
    /// <exception cref="NotSupportedException">The target cannot run the step (its share cuts a dimension a step cannot split).</exception>
    StepTime MeasureStep(LayoutStep layoutStep, CancellationToken cancellation = default);

    /// <summary>
    /// Times graph node <paramref name="node"/> (one that is not an operator: a pooling, an element-wise node, a
    /// concatenation, a softmax) as the target would run it, its input and output in the framework's layout: on the
    /// compute cores where it has a kernel for it and that is faster, else on the host core at that core's rate
    /// (<see cref="StepTime.OnMpe"/>). No data moves. A target that times no such nodes keeps this default, which gives
    /// <see langword="null"/>: the node is then left untimed.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="elementType">The graph's element type.</param>
    /// <param name="cancellation">Cancels the measurement.</param>
    /// <returns>The node's time, named after it, or <see langword="null"/>.</returns>
    StepTime? MeasureNode(Graphs.GraphNode node, Primitives.ElementType elementType, CancellationToken cancellation = default) => null;

    /// <summary>
    /// Times graph node <paramref name="node"/> (one that is not an operator) as the host core would evaluate it, its
    /// inputs and output in the framework's layout: what a node costs where the compute cores cannot run it as it lies (its
    /// input left in a kernel's placement), without the layout steps around it. A target that times no such nodes keeps
    /// this default, which gives <see langword="null"/>.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="elementType">The graph's element type.</param>
    /// <returns>The node's time on the host core (<see cref="StepTime.OnMpe"/> true), named after it, or <see langword="null"/>.</returns>
    StepTime? MeasureNodeOnHost(Graphs.GraphNode node, Primitives.ElementType elementType) => null;

    /// <summary>
    /// Runs a graph tuned for this target on <paramref name="tensors"/> (every input and constant of its graph, in the
    /// framework's layout), exact, as its plan says, and gives its outputs by name. A target that cannot run whole
    /// graphs keeps this default, which refuses.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the graph's element type.</typeparam>
    /// <param name="tuned">The tuned graph.</param>
    /// <param name="tensors">Every input and constant of the graph, by name.</param>
    /// <returns>The graph's outputs, by name.</returns>
    /// <exception cref="NotSupportedException">The target runs no graphs.</exception>
    IReadOnlyDictionary<string, System.Numerics.Tensors.Tensor<T>> RunGraph<T>(GraphTuning.GraphTuningResult tuned, IReadOnlyDictionary<string, System.Numerics.Tensors.Tensor<T>> tensors)
        where T : unmanaged, System.Numerics.INumber<T> =>
        throw new NotSupportedException($"Target '{Name}' runs no whole graphs; run each operator's kernel instead.");

    /// <summary>
    /// The source files of a graph tuned for this target (<paramref name="tuned"/>): a function per distinct kernel (the
    /// operators' and the planned layout steps'), the nodes that are not operators as host code, and a runner that prepares
    /// the constants once and chains every step of the plan in order. A target that cannot emit whole graphs keeps this
    /// default, which refuses.
    /// </summary>
    /// <param name="tuned">The tuned graph.</param>
    /// <returns>The files, name to text.</returns>
    /// <exception cref="NotSupportedException">The target emits no graphs.</exception>
    KernelSources EmitGraph(GraphTuning.GraphTuningResult tuned) =>
        throw new NotSupportedException($"Target '{Name}' emits no whole graphs; emit each operator's kernel instead.");
}
