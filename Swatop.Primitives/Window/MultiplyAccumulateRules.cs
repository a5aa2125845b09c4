namespace Swatop.Primitives;

/// <summary>
/// The shape rules of the multiply-accumulate primitive, <c>t[i] += w[0] * s[i * stride] + ... +
/// w[taps - 1] * s[i * stride + (taps - 1) * dilation]</c>: the stride and the dilation are at least 1, and
/// the source holds every element the target's last output reads,
/// <c>(count - 1) * stride + (taps - 1) * dilation + 1</c> of them (nothing when the target or the weights
/// are empty). That the target overlaps neither the weights nor the source is a rule of their places,
/// checked where the places are known (the IR verifier, the emulator).
/// </summary>
public static class MultiplyAccumulateRules
{
    /// <summary>The source elements a call on <paramref name="count"/> outputs and <paramref name="taps"/> weights reads: 0 when either is 0.</summary>
    public static long SourceSpan(long count, long taps, long stride, long dilation) =>
        count <= 0 || taps <= 0 ? 0 : ((count - 1) * stride) + ((taps - 1) * dilation) + 1;

    /// <summary>The first shape rule a call breaks, as a sentence; <see langword="null"/> when it is legal.</summary>
    /// <param name="count">The target's elements (the outputs).</param>
    /// <param name="taps">The weights' elements.</param>
    /// <param name="sourceCount">The source's elements.</param>
    /// <param name="stride">Source elements between consecutive outputs.</param>
    /// <param name="dilation">Source elements between consecutive taps.</param>
    /// <returns>The violation, or <see langword="null"/>.</returns>
    public static string? Violation(long count, long taps, long sourceCount, long stride, long dilation)
    {
        if (stride < 1 || dilation < 1)
        {
            return $"the stride {Guard.Format(stride)} and the dilation {Guard.Format(dilation)} must be at least 1.";
        }

        if (count < 0 || taps < 0 || sourceCount < 0)
        {
            return $"the target's {Guard.Format(count)}, the weights' {Guard.Format(taps)} and the source's {Guard.Format(sourceCount)} elements must not be negative.";
        }

        var span = SourceSpan(count, taps, stride, dilation);
        return sourceCount < span
            ? $"the source holds {Guard.Format(sourceCount)} elements but {Guard.Format(count)} outputs of {Guard.Format(taps)} taps at stride {Guard.Format(stride)} and dilation {Guard.Format(dilation)} read {Guard.Format(span)}."
            : null;
    }
}
