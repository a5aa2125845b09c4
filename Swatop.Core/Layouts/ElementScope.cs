using Swatop.Core.Lowering;

namespace Swatop.Core.Layouts;

/// <summary>
/// The scope the layout and distribution rules are evaluated in for one framework element: the
/// framework index (<see cref="LayoutRules.IndexArray"/>), a layout's tables, the dimension
/// (<see cref="LayoutRules.Dimension"/>) and the internal position in it (bound to both
/// <see cref="LayoutRules.Position"/> and <see cref="LayoutRules.Placed"/>).
/// </summary>
/// <param name="layout">The layout whose tables are read, or <see langword="null"/> when the rule reads none.</param>
/// <param name="index">The framework index.</param>
/// <param name="dimension">The dimension.</param>
/// <param name="position">The internal position in that dimension.</param>
internal readonly ref struct ElementScope(TensorLayout? layout, ReadOnlySpan<long> index, long dimension = 0, long position = 0) : IIndexScope
{
    private readonly ReadOnlySpan<long> _index = index;

    /// <summary>The same element at dimension <paramref name="d"/> and internal position <paramref name="p"/>.</summary>
    public ElementScope At(long d, long p = 0) => new(layout, _index, d, p);

    /// <inheritdoc/>
    public long Variable(string name) =>
        name == LayoutRules.Dimension.Name ? dimension
        : name == LayoutRules.Position.Name || name == LayoutRules.Placed.Name ? position
        : throw new ArgumentException($"A layout rule reads the variable '{name}', which is not bound.", nameof(name));

    /// <inheritdoc/>
    public long Element(string array, long subscript)
    {
        if (array == LayoutRules.IndexArray)
        {
            return _index[checked((int)subscript)];
        }

        if (layout is not null && LayoutTable.Find(array) is { } table)
        {
            return table.ValuesOf(layout)[checked((int)subscript)];
        }

        throw new ArgumentException($"A layout rule reads the array '{array}', which is not bound.", nameof(array));
    }
}
