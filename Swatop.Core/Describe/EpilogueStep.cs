using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// One element-wise step of an <see cref="Epilogue"/>: a per-output-channel bias (<see cref="BiasStep"/>), a
/// clip activation (<see cref="ClipStep"/>: ReLU, ReLU6, any bounds) or a residual add
/// (<see cref="ResidualAddStep"/>). A step that reads a tensor besides the output tile names it
/// (<see cref="TensorName"/>); the operator the epilogue is put on gives the tensor its shape
/// (<see cref="OperatorSpec.EpilogueInputs"/>). Each prints as its part of the operator's signature.
/// Immutable, compared by value.
/// </summary>
public abstract record EpilogueStep
{
    /// <summary>Only this library defines steps, so that lowering, the cost model and the emitter know every kind.</summary>
    private protected EpilogueStep()
    {
    }

    /// <summary>The name of the tensor the step reads besides the output tile, or <see langword="null"/> for none.</summary>
    public abstract string? TensorName { get; }

    /// <summary>A per-output-channel bias: <c>output += bias[channel]</c>, the tensor <c>bias</c> of the output channels.</summary>
    /// <returns>The step.</returns>
    public static BiasStep Bias() => BiasStep.Instance;

    /// <summary>ReLU, <c>max(output, 0)</c>: a clip to [0, +inf).</summary>
    /// <returns>The step.</returns>
    public static ClipStep Relu() => Clip(0, double.PositiveInfinity);

    /// <summary>ReLU6, <c>min(max(output, 0), 6)</c>: a clip to [0, 6].</summary>
    /// <returns>The step.</returns>
    public static ClipStep Relu6() => Clip(0, 6);

    /// <summary>A clip to [<paramref name="min"/>, <paramref name="max"/>]; either bound may be infinite.</summary>
    /// <param name="min">The lower bound; not NaN.</param>
    /// <param name="max">The upper bound; not NaN, at least <paramref name="min"/>.</param>
    /// <returns>The step.</returns>
    /// <exception cref="OperatorDescriptionException"><see cref="DescribeDiagnostics.InvalidClipBounds"/>: a bound is NaN or min &gt; max.</exception>
    public static ClipStep Clip(double min, double max) => new(min, max);

    /// <summary>A residual add, <c>output += residual</c>, the tensor <c>residual</c> of the output's shape, read as the output is written.</summary>
    /// <param name="shape">The residual's shape when the caller knows it (an importer does), checked against the output's when the step is put on an operator; empty for the output's.</param>
    /// <returns>The step.</returns>
    public static ResidualAddStep ResidualAdd(params int[] shape) => new([.. shape ?? []]);
}
