using System.Collections.Immutable;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Layouts;

/// <summary>
/// Where a single operator's caller keeps each activation (every input that is not a constant, and the output), by
/// <see cref="TargetLimits.CallerMemory"/>: <see langword="null"/>, the framework's layout in the shared memory, under
/// <see cref="CallerMemory.Shared"/>; under <see cref="CallerMemory.CoreGroups"/>, row-major in the core groups' own
/// memories (<see cref="TensorLayout.RowMajorInCoreGroups"/>), each group holding its share of the batch
/// (<see cref="BatchShare.Of"/>) of a tensor whose first dimension is the batch and the whole of any other. A call's
/// layout steps move each activation from there to the kernel's placement and the output back
/// (<see cref="GraphTuning.LayoutConversion.Steps"/>). An operator without a batch to share (no batch axis, or fewer
/// images than core groups) is held as under <see cref="CallerMemory.Shared"/>; so are the constants, which a prepare step
/// takes once.
/// </summary>
public static class CallerHoldings
{
    /// <summary>Each activation's holding by tensor name (<see langword="null"/>: the shared memory, row-major).</summary>
    public static ImmutableDictionary<string, TensorPlacement?> For(OperatorSpec spec, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        var activations = spec.Expression.Inputs.Concat(spec.EpilogueInputs).Where(a => !spec.ConstantInputs.Contains(a.Tensor.Name)).Append(spec.Expression.Output);
        var share = limits.CallerMemory == CallerMemory.CoreGroups ? BatchShare.Of(spec, limits) : null;
        var batch = BatchShare.Axis(spec);
        var holdings = ImmutableDictionary.CreateBuilder<string, TensorPlacement?>(StringComparer.Ordinal);
        foreach (var access in activations)
        {
            holdings[access.Tensor.Name] = share is null ? null
                : new TensorPlacement(TensorLayout.RowMajorInCoreGroups(access.Tensor), BatchShare.Indexes(access, batch!) ? share : new ReplicatedDistribution(limits.CoreGroups));
        }

        return holdings.ToImmutable();
    }

    /// <summary>
    /// The elements <paramref name="holding"/> keeps in core group <paramref name="group"/>'s memory, row-major from
    /// <c>Start</c>: the group's images of a tensor split on the batch (none past the batch), the whole of a replicated one.
    /// </summary>
    /// <exception cref="ArgumentException">The holding is not row-major in the core groups, or splits a dimension but the first.</exception>
    public static (long Start, long Count) ElementsOf(TensorPlacement holding, int group)
    {
        ArgumentNullException.ThrowIfNull(holding);
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(group, holding.Distribution.CoreGroups);
        if (!holding.IsRowMajorInCoreGroups)
        {
            throw new ArgumentException($"A caller's holding is row-major in the core groups' memories, not '{holding.Layout}'.", nameof(holding));
        }

        var length = holding.Tensor.ElementLength;
        switch (holding.Distribution)
        {
            case ReplicatedDistribution:
                return (0, length);
            case SplitDistribution { Dimension: 0, Stride: 1 } split:
                var image = length / holding.Tensor.Shape[0];
                var first = Math.Min(group * split.PositionsPerGroup, split.Extent);
                var last = Math.Min(first + split.PositionsPerGroup, split.Extent);
                return (first * image, (last - first) * image);
            default:
                throw new ArgumentException($"A caller's holding splits the first dimension alone, not '{holding.Distribution}'.", nameof(holding));
        }
    }
}
