namespace Swatop.Primitives;

/// <summary>
/// The operations of the element-wise primitive, which updates a run of elements in place:
/// <c>t = op(t, a)</c>, or <c>t = op(t, a, b)</c> for <see cref="Clamp"/>. The comparisons are
/// written as the C conditional they are (<c>t &lt; a ? a : t</c>), so NaN and signed zeros come out
/// the same on every implementation: ReLU is <c>Maximum</c> with 0, ReLU6 <c>Clamp</c> to [0, 6],
/// a bias or residual add <c>Add</c>, a scale <c>Multiply</c>.
/// </summary>
public enum ElementwiseOp
{
    /// <summary><c>t = t + a</c>.</summary>
    Add,

    /// <summary><c>t = t * a</c>.</summary>
    Multiply,

    /// <summary><c>t = t &lt; a ? a : t</c>.</summary>
    Maximum,

    /// <summary><c>t = a &lt; t ? a : t</c>.</summary>
    Minimum,

    /// <summary><c>t = t &lt; a ? a : t; t = b &lt; t ? b : t</c>: into [a, b].</summary>
    Clamp,

    /// <summary><c>t = t / a</c> (a softmax's reciprocal of its sum).</summary>
    Divide,
}
