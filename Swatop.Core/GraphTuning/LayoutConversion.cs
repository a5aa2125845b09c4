using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Primitives;

namespace Swatop.Core.GraphTuning;

/// <summary>
/// The layout steps that move a graph value from where it lies to where a consumer reads it. A value
/// lies either in the framework's layout in the shared memory (<see langword="null"/>: a graph input, or
/// what a kernel read or wrote in place) or in a kernel's <see cref="TensorPlacement"/> in the core
/// groups' memories. Nothing moves when both agree; a framework value is packed and a placed value
/// unpacked; two placements that hold each element on the same core groups are reordered there, in each
/// group's own memory; any others meet in the framework's layout (unpack, then pack), since a core group
/// reaches no other group's memory, and so does a value an im2col kernel reads as its column matrix.
/// </summary>
public static class LayoutConversion
{
    /// <summary>Where <paramref name="placement"/> leaves a value: <see langword="null"/> when it is the framework's own layout, read or written in place.</summary>
    public static TensorPlacement? Holding(TensorPlacement? placement) => placement is null || placement.Layout.IsIdentity ? null : placement;

    /// <summary>The steps from <paramref name="from"/> to <paramref name="to"/> for value <paramref name="value"/>, named after it.</summary>
    public static ImmutableArray<LayoutStep> Steps(string value, TensorPlacement? from, TensorPlacement? to, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(value);
        (from, to) = (Holding(from), Holding(to));
        if (from is null && to is null || from is not null && from.Matches(to))
        {
            return [];
        }

        if (from is null)
        {
            return [LayoutStep.Pack(to!, elementType) with { Name = $"pack {value}" }];
        }

        if (to is null)
        {
            return [LayoutStep.Unpack(from, elementType) with { Name = $"unpack {value}" }];
        }

        // A column matrix is laid out from the framework's layout only (the column step reads the whole input rows).
        return from.Distribution.Equals(to.Distribution) && to.Layout.Window is null
            ? [LayoutStep.Reorder($"reorder {value}", from, to, elementType)]
            : [LayoutStep.Unpack(from, elementType) with { Name = $"unpack {value}" }, LayoutStep.Pack(to, elementType) with { Name = $"pack {value}" }];
    }

    /// <summary>The key (<see cref="KeyOf"/>) of where <paramref name="step"/> leaves its value.</summary>
    public static string KeyAfter(LayoutStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Kind == LayoutStepKind.Unpack ? KeyOf(null) : KeyOf(new TensorPlacement(step.Destination, step.Share));
    }

    /// <summary>
    /// How many of the leading <paramref name="steps"/> need not run because the value already lies where one of them
    /// leads (<paramref name="hasCopy"/> of that key, <see cref="KeyOf"/>): up to the last such step, whose copy the rest start from.
    /// </summary>
    public static int Shared(ImmutableArray<LayoutStep> steps, Func<string, bool> hasCopy)
    {
        ArgumentNullException.ThrowIfNull(hasCopy);
        for (var i = steps.Length - 1; i >= 0; i--)
        {
            if (hasCopy(KeyAfter(steps[i])))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>A key that two holdings share exactly when they keep a value in the same arrangement on the same core groups.</summary>
    public static string KeyOf(TensorPlacement? holding)
    {
        if (Holding(holding) is not { } placement)
        {
            return "framework";
        }

        var layout = placement.Layout;
        if (placement.IsRowMajorInCoreGroups)
        {
            return $"row-major {layout.Elements}|{placement.Distribution}";
        }

        return $"{string.Join(',', layout.Order)}|{string.Join(',', layout.Origins)}|{string.Join(',', layout.Lengths)}|{string.Join(',', layout.Blocks)}|{layout.Window}|{placement.Distribution}";
    }
}
