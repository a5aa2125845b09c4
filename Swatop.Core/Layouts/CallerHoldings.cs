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
}
