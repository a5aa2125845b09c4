using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// A residual add, <c>output += residual</c>: the tensor <c>residual</c> has the output's shape and is read in
/// the output's layout as the output is written (ResNet's shortcut). An activation, not a constant.
/// Prints as <c>residual</c>.
/// </summary>
public sealed record ResidualAddStep : EpilogueStep
{
    internal ResidualAddStep(ImmutableArray<int> shape)
    {
        Shape = shape.IsDefault ? [] : shape;
    }

    /// <summary>The tensor's name, <c>residual</c>.</summary>
    public const string Name = "residual";

    /// <summary>The shape the caller stated, checked against the output's when the step is put on an operator; empty once it is on one.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <inheritdoc/>
    public override string TensorName => Name;

    /// <summary>Equal when the stated shapes are equal.</summary>
    /// <param name="other">The other step.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(ResidualAddStep? other) => other is not null && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc/>
    public override int GetHashCode() => Shape.Aggregate(17, HashCode.Combine);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
