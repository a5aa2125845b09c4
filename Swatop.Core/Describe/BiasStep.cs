namespace Swatop.Core;

/// <summary>
/// A per-output-channel bias, <c>output[..., c, ...] += bias[c]</c>: the tensor <c>bias</c> holds one value
/// per output channel (a convolution's <c>co</c>, over all groups; a GEMM's or a fully connected layer's
/// column <c>n</c>). A constant input, as the weights are. Prints as <c>bias</c>.
/// </summary>
public sealed record BiasStep : EpilogueStep
{
    private BiasStep()
    {
    }

    /// <summary>The tensor's name, <c>bias</c>.</summary>
    public const string Name = "bias";

    /// <summary>The one bias step (it has no state).</summary>
    internal static BiasStep Instance { get; } = new();

    /// <inheritdoc/>
    public override string TensorName => Name;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
