using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Zeros an implicit GEMM kernel keeps around its output in main memory: per dimension of the output, positions
/// before and after the framework's, so that the output lies exactly where a consumer that reads it padded (a 3 x 3
/// convolution's input, its padding included) reads it, and no layout step pads it between them. The kernel writes
/// the framework's elements only; the margins are zero from allocation, as every layout step's padding is. Only a
/// dimension that is neither blocked nor split over the core groups takes a margin. A schedule that folds the batch into
/// the columns takes them over the framework tensor: its view widens the folded axis by a block of images a column. Compared by value.
/// </summary>
/// <param name="Before">Per output dimension: zero positions before index 0.</param>
/// <param name="After">Per output dimension: zero positions after the last index.</param>
public sealed record OutputMargins(ImmutableArray<int> Before, ImmutableArray<int> After)
{
    /// <summary>Equal when both sides are, dimension by dimension.</summary>
    public bool Equals(OutputMargins? other) =>
        other is not null && Before.SequenceEqual(other.Before) && After.SequenceEqual(other.After);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(string.Join(',', Before), string.Join(',', After));

    /// <summary>E.g. <c>before [0 0 1 1] after [0 0 1 1]</c>.</summary>
    public override string ToString() => $"before [{string.Join(' ', Before)}] after [{string.Join(' ', After)}]";

    /// <summary>
    /// The margins that turn <paramref name="from"/>, a kernel's output layout, into <paramref name="to"/>: the same
    /// arrangement with each dimension's range widened by whole positions on either side, no blocked dimension
    /// changed; null when <paramref name="to"/> is no such widening, or the same layout.
    /// </summary>
    public static OutputMargins? Between(TensorLayout from, TensorLayout to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Window is not null || to.Window is not null || !from.Tensor.Shape.SequenceEqual(to.Tensor.Shape)
            || !from.Order.SequenceEqual(to.Order) || !from.Blocks.SequenceEqual(to.Blocks))
        {
            return null;
        }

        var rank = from.Tensor.Shape.Length;
        var before = new int[rank];
        var after = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            var low = to.Origins[d] - from.Origins[d];
            var high = to.Lengths[d] - to.Origins[d] - (from.Lengths[d] - from.Origins[d]);
            if (low < 0 || high < 0 || low > int.MaxValue || high > int.MaxValue || (from.IsBlocked(d) && (low != 0 || high != 0)))
            {
                return null;
            }

            (before[d], after[d]) = ((int)low, (int)high);
        }

        return before.All(m => m == 0) && after.All(m => m == 0) ? null : new OutputMargins([.. before], [.. after]);
    }

    /// <summary><paramref name="layout"/> with these margins: each dimension's origin moved by its margin before, its length by both.</summary>
    internal TensorLayout Widen(TensorLayout layout) => layout with
    {
        Origins = [.. layout.Origins.Select((origin, d) => origin + Before[d])],
        Lengths = [.. layout.Lengths.Select((length, d) => length + Before[d] + After[d])],
    };

    /// <summary>
    /// Why the margins do not fit a kernel whose output is <paramref name="output"/>, laid out as
    /// <paramref name="unwidened"/> and spread as <paramref name="distribution"/>, or null when they do.
    /// </summary>
    internal ScheduleException? Violation(TensorDeclaration output, TensorLayout unwidened, Distribution distribution)
    {
        var rank = output.Shape.Length;
        string? rule = null;
        if (Before.IsDefault || After.IsDefault || Before.Length != rank || After.Length != rank)
        {
            rule = $"it needs one margin before and one after each of the output's {rank} dimensions";
        }
        else if (Before.Concat(After).Any(m => m < 0))
        {
            rule = "a margin is a count of zero positions, at least 0";
        }
        else if (Enumerable.Range(0, rank).FirstOrDefault(d => (Before[d] > 0 || After[d] > 0) && unwidened.IsBlocked(d), -1) is var blocked and >= 0)
        {
            rule = $"dimension {blocked} of the output is cut in blocks ({unwidened}), which takes no margin";
        }
        else if (distribution is SplitDistribution split && (Before[split.Dimension] > 0 || After[split.Dimension] > 0))
        {
            rule = $"dimension {split.Dimension} of the output is split over the core groups ({split}), which takes no margin";
        }

        return rule is null ? null
            : new ScheduleException(ScheduleDiagnostics.IllegalMargins, nameof(ImplicitGemmSchedule.OutputMargins), $"OutputMargins = {this} does not fit output {output}: {rule}.");
    }
}
