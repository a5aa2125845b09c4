using Swatop.Core.Ir;
using Swatop.Primitives;

namespace Swatop.Core.Lowering;

/// <summary>
/// A <see cref="ClipStep"/> of an operator's epilogue as the element-wise statement that applies it to a block in LDM:
/// a clamp when both bounds are finite, a maximum or a minimum when one is, nothing when neither is.
/// </summary>
internal static class ClipStatements
{
    /// <summary>The statement (none or one) that clips <paramref name="target"/> in place as <paramref name="clip"/> says.</summary>
    public static IEnumerable<Stmt> On(ClipStep clip, LdmRef target)
    {
        if (clip.HasMin && clip.HasMax)
        {
            yield return new Elementwise(target, ElementwiseOp.Clamp, [ElementwiseOperand.Scalar(clip.Min), ElementwiseOperand.Scalar(clip.Max)]);
        }
        else if (clip.HasMin)
        {
            yield return new Elementwise(target, ElementwiseOp.Maximum, [ElementwiseOperand.Scalar(clip.Min)]);
        }
        else if (clip.HasMax)
        {
            yield return new Elementwise(target, ElementwiseOp.Minimum, [ElementwiseOperand.Scalar(clip.Max)]);
        }
    }
}
