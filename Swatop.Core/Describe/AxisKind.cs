namespace Swatop.Core;

/// <summary>The role of an <see cref="Axis"/> in a <see cref="Contraction"/>.</summary>
public enum AxisKind
{
    /// <summary>An axis of the output's index space: every value of it names output elements.</summary>
    Index,

    /// <summary>An axis summed over: the output does not depend on it.</summary>
    Reduction,
}
