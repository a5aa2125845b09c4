using System.Collections.Immutable;
using System.Globalization;
using Swatop.Primitives;

namespace Swatop.Core.Graphs;

/// <summary>
/// A value of an <see cref="OperatorGraph"/>, an edge of the graph: a dense tensor with a name, a
/// shape (row-major, NCHW for images, the last dimension fastest), the graph's element type and
/// where it comes from. Made by a <see cref="GraphBuilder"/>; immutable and compared by value.
/// </summary>
public sealed record GraphValue
{
    internal GraphValue(string name, ImmutableArray<int> shape, ElementType elementType, GraphValueKind kind, string? producer)
    {
        Name = name;
        Shape = shape;
        ElementType = elementType;
        Kind = kind;
        Producer = producer;
    }

    /// <summary>The value's name, unique in its graph; a node's output has the node's name.</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <summary>The element type, the graph's.</summary>
    public ElementType ElementType { get; }

    /// <summary>Whether the value is a graph input, a constant or a node's output.</summary>
    public GraphValueKind Kind { get; }

    /// <summary>The name of the node that computes the value; null for a graph input or a constant.</summary>
    public string? Producer { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The number of elements, the product of the dimensions.</summary>
    public long ElementLength
    {
        get
        {
            long count = 1;
            foreach (var d in Shape)
            {
                count *= d;
            }

            return count;
        }
    }

    /// <summary>True when the value is a constant (an operator's weights).</summary>
    public bool IsConstant => Kind == GraphValueKind.Constant;

    /// <summary>The shape as text, <c>[128, 3, 224, 224]</c>.</summary>
    public string ShapeText => FormatShape(Shape.AsSpan());

    /// <summary>True when both have the same name, shape, element type, kind and producer.</summary>
    /// <param name="other">The other value.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(GraphValue? other) =>
        other is not null
        && Name == other.Name
        && Shape.SequenceEqual(other.Shape)
        && ElementType == other.ElementType
        && Kind == other.Kind
        && Producer == other.Producer;

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        foreach (var d in Shape)
        {
            hash.Add(d);
        }

        hash.Add(ElementType);
        hash.Add(Kind);
        return hash.ToHashCode();
    }

    /// <summary>Prints the value as <c>name [d0, d1, ...]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name} {ShapeText}";

    /// <summary>Formats dimensions as <c>[d0, d1, ...]</c> with the invariant culture.</summary>
    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (var d = 0; d < shape.Length; d++)
        {
            parts[d] = shape[d].ToString(CultureInfo.InvariantCulture);
        }

        return $"[{string.Join(", ", parts)}]";
    }
}
