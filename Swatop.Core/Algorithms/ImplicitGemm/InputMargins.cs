using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Positions an implicit GEMM kernel's input layout holds beyond the range the kernel reads, which it ignores: per
/// dimension of input <paramref name="Tensor"/>, positions before and after that range, so that the kernel reads the input
/// where a producer left it wider than the kernel needs (a stride-2 1 x 1 convolution over 28 rows reads rows 0 to 26 of
/// 28) and no layout step trims it between them. The mirror of <see cref="OutputMargins"/>: the layout's origins and
/// lengths grow by them, every address the kernel reads moves with the origins, and what lies in the extra positions
/// (the producer's elements, or zeros) is never read. Only a dimension that is neither blocked nor split over the core
/// groups takes one. Compared by value.
/// </summary>
/// <param name="Tensor">The input the margins widen: one of the operator's two inputs, by name.</param>
/// <param name="Before">Per dimension of the input: positions before the range the kernel reads.</param>
/// <param name="After">Per dimension of the input: positions after it.</param>
public sealed record InputMargins(string Tensor, ImmutableArray<int> Before, ImmutableArray<int> After)
{
    /// <summary>Equal when both name the same input and both sides are equal, dimension by dimension.</summary>
    public bool Equals(InputMargins? other) =>
        other is not null && Tensor == other.Tensor && Before.SequenceEqual(other.Before) && After.SequenceEqual(other.After);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Tensor, string.Join(',', Before), string.Join(',', After));

    /// <summary>E.g. <c>input before [0 0 0 0] after [0 0 1 1]</c>.</summary>
    public override string ToString() => $"{Tensor} before [{string.Join(' ', Before)}] after [{string.Join(' ', After)}]";

    /// <summary>
    /// The margins that turn <paramref name="reads"/>, the layout a kernel reads input <paramref name="tensor"/> in, into
    /// <paramref name="lies"/>: the same arrangement with each dimension's range widened by whole positions on either side,
    /// no blocked dimension changed; null when <paramref name="lies"/> is no such widening, or the same layout.
    /// </summary>
    public static InputMargins? Between(string tensor, TensorLayout reads, TensorLayout lies)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return OutputMargins.Between(reads, lies) is { } widening ? new InputMargins(tensor, widening.Before, widening.After) : null;
    }

    /// <summary><paramref name="layout"/> with these margins: each dimension's origin moved by its margin before, its length by both.</summary>
    internal TensorLayout Widen(TensorLayout layout) => new OutputMargins(Before, After).Widen(layout);

    /// <summary>
    /// Why the margins do not fit a kernel of <paramref name="spec"/> that reads <see cref="Tensor"/> laid out as
    /// <paramref name="unwidened"/> and spread as <paramref name="distribution"/>, or null when they do.
    /// </summary>
    internal ScheduleException? Violation(OperatorSpec spec, Func<TensorLayout> unwidened, Func<Distribution> distribution)
    {
        var inputs = spec.Expression.Inputs.Select(i => i.Tensor).ToList();
        var input = inputs.FirstOrDefault(t => t.Name == Tensor);
        var rank = input?.Shape.Length ?? 0;
        string? rule = null;
        if (input is null)
        {
            rule = $"it must name one of the operator's inputs ({string.Join(", ", inputs.Select(t => t.Name))})";
        }
        else if (Before.IsDefault || After.IsDefault || Before.Length != rank || After.Length != rank)
        {
            rule = $"it needs one margin before and one after each of the input's {rank} dimensions";
        }
        else if (Before.Concat(After).Any(m => m < 0))
        {
            rule = "a margin is a count of positions, at least 0";
        }
        else if (unwidened() is var layout && Enumerable.Range(0, rank).FirstOrDefault(d => (Before[d] > 0 || After[d] > 0) && layout.IsBlocked(d), -1) is var blocked and >= 0)
        {
            rule = $"dimension {blocked} of the input is cut in blocks ({layout}), which takes no margin";
        }
        else if (distribution() is SplitDistribution split && (Before[split.Dimension] > 0 || After[split.Dimension] > 0))
        {
            rule = $"dimension {split.Dimension} of the input is split over the core groups ({split}), which takes no margin";
        }

        return rule is null ? null
            : new ScheduleException(ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.InputMargins), $"InputMargins = {this} does not fit {(input is null ? $"operator {spec.Expression.Name}" : $"input {input}")}: {rule}.");
    }
}
