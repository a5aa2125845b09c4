using System.Collections.Immutable;
using Swatop.Core.Layouts;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// A layout step as the host (a core group's MPE) performs it: a copy loop over the framework tensor's elements in
/// row-major order, each element read where the step's source layout keeps it and written where its destination keeps
/// it, for the elements the core group moves (all of them when the share is replicated, the group's own when it is
/// split). An element's offset in a layout is a sum of one term per framework dimension
/// (<see cref="Lowering.TensorLayout.OffsetsAlong"/>), so the copy walks tables of those terms: the same tables the
/// emitted C's copy loop holds. Elements a layout does not hold are not moved, and nothing else is written: the
/// destination's padding stays as allocated (zero). A column step's layout holds an element in several places, so it
/// has no host copy (<see cref="Supports"/>).
/// </summary>
public sealed class HostLayoutCopy
{
    private HostLayoutCopy(LayoutStep step)
    {
        Step = step;
        var rank = step.Tensor.Rank;
        SourceOffsets = [.. Enumerable.Range(0, rank).Select(step.Source.OffsetsAlong)];
        DestinationOffsets = [.. Enumerable.Range(0, rank).Select(step.Destination.OffsetsAlong)];
        if (step.Share is SplitDistribution split)
        {
            SplitDimension = split.Dimension;
            var index = new long[rank];
            Owners = [.. Enumerable.Range(0, step.Tensor.Shape[split.Dimension]).Select(i =>
            {
                index[split.Dimension] = i;
                return split.OwnerOf(index);
            })];
        }
        else
        {
            SplitDimension = -1;
            Owners = [];
        }

        GroupElements = [.. Enumerable.Range(0, step.CoreGroups).Select(CountOf)];
    }

    /// <summary>The step.</summary>
    public LayoutStep Step { get; }

    /// <summary>Per framework dimension, what each of its indices adds to an element's offset in the source, or -1 where the source does not hold it.</summary>
    public ImmutableArray<ImmutableArray<long>> SourceOffsets { get; }

    /// <summary>Per framework dimension, what each of its indices adds to an element's offset in the destination, or -1 where the destination does not hold it.</summary>
    public ImmutableArray<ImmutableArray<long>> DestinationOffsets { get; }

    /// <summary>The framework dimension the share splits over the core groups, or -1 when it is replicated.</summary>
    public int SplitDimension { get; }

    /// <summary>When the share is split: the core group that holds each index of <see cref="SplitDimension"/>; else empty.</summary>
    public ImmutableArray<int> Owners { get; }

    /// <summary>Per core group of the share: the framework elements it moves.</summary>
    public ImmutableArray<long> GroupElements { get; }

    /// <summary>Whether the host can perform <paramref name="step"/>: neither of its layouts holds a column matrix.</summary>
    public static bool Supports(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Source.Window is null && step.Destination.Window is null;
    }

    /// <summary>The host copy of <paramref name="step"/>.</summary>
    /// <exception cref="ArgumentException">A layout of the step holds a column matrix (<see cref="Supports"/>).</exception>
    public static HostLayoutCopy For(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!Supports(step))
        {
            throw new ArgumentException($"Layout step '{step.Name}' packs a column matrix, in which an element lies in several places: the host has no copy of it, only the column step on the compute cores.", nameof(step));
        }

        return new HostLayoutCopy(step);
    }

    /// <summary>
    /// Copies core group <paramref name="group"/>'s elements from <paramref name="source"/> (the step's source layout) to
    /// <paramref name="destination"/> (its destination layout), bit for bit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="group"/> is not one of the share's core groups.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its layout's elements.</exception>
    public void Copy<T>(int group, ReadOnlySpan<T> source, Span<T> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(group, Step.CoreGroups);
        if (source.Length < Step.Source.Elements)
        {
            throw new ArgumentException($"The source of step '{Step.Name}' holds {source.Length} elements; its layout has {Step.Source.Elements}.", nameof(source));
        }

        if (destination.Length < Step.Destination.Elements)
        {
            throw new ArgumentException($"The destination of step '{Step.Name}' holds {destination.Length} elements; its layout has {Step.Destination.Elements}.", nameof(destination));
        }

        Walk(group, source, destination);
    }

    /// <summary>E.g. <c>host copy of pack x: ... (4 core groups, 1024 elements each)</c>.</summary>
    public override string ToString() => $"host copy of {Step} ({string.Join(", ", GroupElements)} elements a core group)";

    private long CountOf(int group)
    {
        var count = 1L;
        for (var d = 0; d < Step.Tensor.Rank; d++)
        {
            var held = 0L;
            for (var i = 0; i < Step.Tensor.Shape[d]; i++)
            {
                if (SourceOffsets[d][i] >= 0 && DestinationOffsets[d][i] >= 0 && (d != SplitDimension || Owners[i] == group))
                {
                    held++;
                }
            }

            count *= held;
        }

        return count;
    }

    /// <summary>Moves every element group <paramref name="group"/> moves, in row-major order of the framework tensor.</summary>
    private void Walk<T>(int group, ReadOnlySpan<T> source, Span<T> destination)
    {
        var shape = Step.Tensor.Shape;
        var rank = shape.Length;
        if (rank == 0 || GroupElements[group] == 0)
        {
            return;
        }

        // Per dimension, the indices this group moves and what each adds on both sides.
        var from = new long[rank][];
        var to = new long[rank][];
        for (var d = 0; d < rank; d++)
        {
            var kept = Enumerable.Range(0, shape[d])
                .Where(i => SourceOffsets[d][i] >= 0 && DestinationOffsets[d][i] >= 0 && (d != SplitDimension || Owners[i] == group))
                .ToArray();
            from[d] = [.. kept.Select(i => SourceOffsets[d][i])];
            to[d] = [.. kept.Select(i => DestinationOffsets[d][i])];
        }

        var position = new int[rank];
        var fromSum = new long[rank + 1];
        var toSum = new long[rank + 1];
        for (var d = 0; d < rank; d++)
        {
            fromSum[d + 1] = fromSum[d] + from[d][0];
            toSum[d + 1] = toSum[d] + to[d][0];
        }

        var inner = rank - 1;
        var innerFrom = from[inner];
        var innerTo = to[inner];
        while (true)
        {
            var baseFrom = fromSum[inner];
            var baseTo = toSum[inner];
            for (var i = 0; i < innerFrom.Length; i++)
            {
                destination[(int)(baseTo + innerTo[i])] = source[(int)(baseFrom + innerFrom[i])];
            }

            // The next index of the outer dimensions, odometer-wise.
            var d = inner - 1;
            while (d >= 0 && ++position[d] == from[d].Length)
            {
                position[d] = 0;
                d--;
            }

            if (d < 0)
            {
                return;
            }

            for (var e = d; e < inner; e++)
            {
                fromSum[e + 1] = fromSum[e] + from[e][position[e]];
                toSum[e + 1] = toSum[e] + to[e][position[e]];
            }
        }
    }
}
