using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// A concatenation as a copy kernel of the compute cores: its parts and output in the framework's layout (in the memory
/// the framework shares). Along any axis, the output is <see cref="Outer"/> rows (the product of the dimensions before
/// the axis), each the parts' rows of <see cref="Blocks"/> elements one after another. Lowered by
/// <see cref="ConcatLowering"/>; its reference is the node's (<see cref="GraphReference"/>). Compared by value.
/// </summary>
/// <param name="Name">Names the kernel in profiles and in C (an identifier is derived from it).</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Outer">The rows: the product of the output's dimensions before the axis.</param>
/// <param name="Blocks">Each part's elements a row: its length along the axis times the product of the dimensions after it.</param>
/// <param name="CoreGroups">The core groups that run it, each on its share of the rows.</param>
public sealed record ConcatKernel(string Name, ElementType ElementType, long Outer, ImmutableArray<long> Blocks, int CoreGroups)
{
    /// <summary>Elements of one output row: the parts' blocks together.</summary>
    public long Row => Blocks.Sum();

    /// <summary>Elements of the output.</summary>
    public long Elements => Outer * Row;

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <summary>The bytes the kernel reads and writes: every part once and the output once.</summary>
    public long Bytes => 2 * Elements * ElementBytes;

    /// <summary>The kernel tensor that reads part <paramref name="index"/>: <c>part0</c>, <c>part1</c>, ...</summary>
    /// <param name="index">The part's index, from 0.</param>
    public static string PartTensor(int index) => string.Create(CultureInfo.InvariantCulture, $"part{index}");

    /// <summary>
    /// The kernel of <paramref name="node"/> on <paramref name="coreGroups"/> core groups, or <see langword="null"/> when the
    /// node is not a concatenation.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="elementType">The graph's element type.</param>
    /// <param name="coreGroups">The core groups that run it, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coreGroups"/> is below 1.</exception>
    public static ConcatKernel? For(GraphNode node, ElementType elementType, int coreGroups)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfLessThan(coreGroups, 1);
        if (node is not ConcatNode concat)
        {
            return null;
        }

        var shape = concat.Output.Shape;
        var outer = 1L;
        for (var d = 0; d < concat.Axis; d++)
        {
            outer *= shape[d];
        }

        var inner = 1L;
        for (var d = concat.Axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }

        return new ConcatKernel(concat.Name, elementType, outer, [.. concat.Parts.Select(p => p.Shape[concat.Axis] * inner)], coreGroups);
    }

    /// <summary>E.g. <c>cat: concatenation of 2 parts (100352 + 100352 elements a row) x 128 rows on 4 core groups</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: concatenation of {Blocks.Length} part{(Blocks.Length == 1 ? "" : "s")} ({string.Join(" + ", Blocks)} elements a row) x {Outer} rows on {CoreGroups} core group{(CoreGroups == 1 ? "" : "s")}");

    /// <inheritdoc />
    public bool Equals(ConcatKernel? other) =>
        other is not null && Name == other.Name && ElementType == other.ElementType && Outer == other.Outer && Blocks.SequenceEqual(other.Blocks) && CoreGroups == other.CoreGroups;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, ElementType, Outer, Blocks.Length, CoreGroups);
}
