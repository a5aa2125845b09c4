using System.Collections.Immutable;
using Swatop.Core.Lowering;

namespace Swatop.Core.Layouts;

/// <summary>
/// One per-dimension table of a <see cref="TensorLayout"/> that the layout rules read: its name (what
/// <see cref="LayoutRules"/> call it) and its values for a layout. <see cref="All"/>
/// lists them.
/// </summary>
public sealed class LayoutTable
{
    private readonly Func<TensorLayout, ImmutableArray<long>> _values;

    private LayoutTable(string name, string description, Func<TensorLayout, ImmutableArray<long>> values)
    {
        Name = name;
        Description = description;
        _values = values;
    }

    /// <summary>The framework tensor's length in each dimension.</summary>
    public static LayoutTable Shape { get; } = new("shape", "the framework tensor's lengths", static l => [.. l.Tensor.Shape.Select(static s => (long)s)]);

    /// <summary><see cref="TensorLayout.Origins"/>: the internal position of framework index 0.</summary>
    public static LayoutTable Origin { get; } = new("origin", "the internal position of framework index 0", static l => l.Origins);

    /// <summary><see cref="TensorLayout.Lengths"/>: the internal length.</summary>
    public static LayoutTable Length { get; } = new("length", "the internal lengths", static l => l.Lengths);

    /// <summary><see cref="TensorLayout.Strides"/>: elements between consecutive positions (inside a block, for a blocked dimension).</summary>
    public static LayoutTable Stride { get; } = new("stride", "elements between consecutive positions", static l => l.Strides);

    /// <summary><see cref="TensorLayout.Blocks"/>: the block length, 0 for a dimension that is not blocked.</summary>
    public static LayoutTable Block { get; } = new("block", "block lengths, 0 when not blocked", static l => l.Blocks);

    /// <summary><see cref="TensorLayout.OuterStrides"/>: elements between consecutive blocks.</summary>
    public static LayoutTable Outer { get; } = new("outer", "elements between consecutive blocks", static l => l.OuterStrides);

    /// <summary>Every table.</summary>
    public static ImmutableArray<LayoutTable> All { get; } = [Shape, Origin, Length, Stride, Block, Outer];

    /// <summary>The table's name, a C identifier.</summary>
    public string Name { get; }

    /// <summary>What it holds, in a few words.</summary>
    public string Description { get; }

    /// <summary>The table of <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static LayoutTable? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>The table's values for <paramref name="layout"/>, one per framework dimension.</summary>
    public ImmutableArray<long> ValuesOf(TensorLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return _values(layout);
    }

    /// <summary>The table's entry for dimension <paramref name="dimension"/>, as an expression: <c>name[dimension]</c>.</summary>
    public IndexExpression At(IndexExpression dimension) => new IndexElement(Name, dimension);

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
