using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.LayoutSteps;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// A layout step that runs on the MPE (<see cref="Target.Sw26010LayoutStep.RunsOnMpe"/>) as a plain C function of the
/// MPE file, the copy loop <see cref="HostLayoutCopy"/> performs: the framework tensor's indices in row-major order,
/// each element's offset in the source and in the destination a sum of one table entry a dimension, an index either
/// layout does not hold skipped, and for a split share the indices of the split dimension that another core group
/// holds. The function takes the source, the destination and the core group; C89.
/// </summary>
internal static class HostStepPrinter
{
    /// <summary>Appends the function <paramref name="function"/> of <paramref name="step"/> to <paramref name="c"/>.</summary>
    public static void Print(CSourceBuilder c, LayoutStep step, string function, string type)
    {
        var copy = HostLayoutCopy.For(step);
        var shape = step.Tensor.Shape;
        var rank = shape.Length;
        var ic = CultureInfo.InvariantCulture;
        c.Line($"/* layout step {Network.HostNodePrinter.Comment(step.ToString())}, on the MPE: a copy loop */");
        c.Open($"static void {function}(const {type} *source, {type} *destination, long cg)");
        for (var d = 0; d < rank; d++)
        {
            c.Line(string.Create(ic, $"static const long s{d}[{shape[d]}] = {{ {Table(copy.SourceOffsets[d])} }};"));
            c.Line(string.Create(ic, $"static const long d{d}[{shape[d]}] = {{ {Table(copy.DestinationOffsets[d])} }};"));
        }

        if (copy.SplitDimension >= 0)
        {
            c.Line(string.Create(ic, $"static const long owner[{shape[copy.SplitDimension]}] = {{ {string.Join(", ", copy.Owners.Select(o => o.ToString(ic)))} }}; /* the core group that holds each index of dimension {copy.SplitDimension} */"));
        }

        c.Line($"long {string.Join(", ", Enumerable.Range(0, rank).Select(d => string.Create(ic, $"i{d}")))};");
        if (copy.SplitDimension < 0)
        {
            c.Line("(void)cg; /* every core group moves every element */");
        }

        for (var d = 0; d < rank; d++)
        {
            c.Open(string.Create(ic, $"for (i{d} = 0; i{d} < {shape[d]}; i{d}++)"));
            if (copy.SourceOffsets[d].Any(o => o < 0) || copy.DestinationOffsets[d].Any(o => o < 0))
            {
                c.Line(string.Create(ic, $"if (s{d}[i{d}] < 0 || d{d}[i{d}] < 0) continue;"));
            }

            if (d == copy.SplitDimension)
            {
                c.Line(string.Create(ic, $"if (owner[i{d}] != cg) continue;"));
            }
        }

        var from = string.Join(" + ", Enumerable.Range(0, rank).Select(d => string.Create(ic, $"s{d}[i{d}]")));
        var to = string.Join(" + ", Enumerable.Range(0, rank).Select(d => string.Create(ic, $"d{d}[i{d}]")));
        c.Line($"destination[{to}] = source[{from}];");
        for (var d = 0; d < rank; d++)
        {
            c.Close();
        }

        c.Close();
        c.Line();
    }

    private static string Table(ImmutableArray<long> offsets) =>
        string.Join(", ", offsets.Select(o => o.ToString(CultureInfo.InvariantCulture) + "L"));
}
