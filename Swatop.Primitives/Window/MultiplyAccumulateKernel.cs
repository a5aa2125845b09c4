using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Swatop.Primitives;

/// <summary>
/// The multiply-accumulate primitive on the host: one row of a direct convolution,
/// <c>t[i] = t[i] + w[0] * s[i * stride] + ... + w[taps - 1] * s[i * stride + (taps - 1) * dilation]</c>, the
/// products added to the target one tap after the other, each product and each sum rounded (nothing
/// fused). A unit stride runs in 256-bit vectors over the outputs with a scalar tail; every lane computes
/// what <see cref="Reference"/> computes for its element, so the results are bit-identical to it and to the
/// C library's loop.
/// </summary>
public static class MultiplyAccumulateKernel
{
    /// <summary>Adds the taps' products to every element of <paramref name="target"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="target">The outputs, updated in place; must not overlap the weights or the source.</param>
    /// <param name="weights">The taps' weights.</param>
    /// <param name="source">The elements read: at least <see cref="MultiplyAccumulateRules.SourceSpan"/>.</param>
    /// <param name="stride">Source elements between consecutive outputs.</param>
    /// <param name="dilation">Source elements between consecutive taps.</param>
    /// <exception cref="ArgumentException">The shapes break <see cref="MultiplyAccumulateRules"/>.</exception>
    public static void Apply<T>(Span<T> target, ReadOnlySpan<T> weights, ReadOnlySpan<T> source, int stride, int dilation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (MultiplyAccumulateRules.Violation(target.Length, weights.Length, source.Length, stride, dilation) is { } violation)
        {
            throw new ArgumentException($"The multiply-accumulate's shapes break its rules: {violation}", nameof(source));
        }

        if (target.IsEmpty || weights.IsEmpty)
        {
            return;
        }

        var first = 0;
        if (stride == 1 && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref var t = ref MemoryMarshal.GetReference(target);
            ref var s = ref MemoryMarshal.GetReference(source);
            var lanes = Vector256<T>.Count;
            for (; first + lanes <= target.Length; first += lanes)
            {
                var sum = Vector256.LoadUnsafe(ref t, (nuint)first);
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += Vector256.Create(weights[k]) * Vector256.LoadUnsafe(ref s, (nuint)(first + (k * dilation)));
                }

                sum.StoreUnsafe(ref t, (nuint)first);
            }
        }

        for (var i = first; i < target.Length; i++)
        {
            var sum = target[i];
            for (var k = 0; k < weights.Length; k++)
            {
                sum += weights[k] * source[(i * stride) + (k * dilation)];
            }

            target[i] = sum;
        }
    }

    /// <summary>The primitive's definition, element by element, for tests.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="target">The outputs, updated in place.</param>
    /// <param name="weights">The taps' weights.</param>
    /// <param name="source">The elements read.</param>
    /// <param name="stride">Source elements between consecutive outputs.</param>
    /// <param name="dilation">Source elements between consecutive taps.</param>
    public static void Reference<T>(Span<T> target, ReadOnlySpan<T> weights, ReadOnlySpan<T> source, int stride, int dilation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < target.Length; i++)
        {
            for (var k = 0; k < weights.Length; k++)
            {
                target[i] = target[i] + (weights[k] * source[(i * stride) + (k * dilation)]);
            }
        }
    }
}
