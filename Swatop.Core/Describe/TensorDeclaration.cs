using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// A dense tensor of a tensor expression: a name and a shape. Elements are stored flat in
/// row-major order (the last dimension fastest). Compared by value.
/// </summary>
/// <param name="Name">The tensor name, a C identifier.</param>
/// <param name="Shape">The dimensions, each at least one; at most <see cref="int.MaxValue"/> elements in all.</param>
public sealed record TensorDeclaration(string Name, ImmutableArray<int> Shape)
{
    /// <summary>The tensor name, a C identifier.</summary>
    public string Name { get; } = DescribeGuard.Identifier(Name, nameof(Name), "tensor");

    /// <summary>The dimensions, outermost first.</summary>
    public ImmutableArray<int> Shape { get; } = CheckShape(Shape, Name);

    /// <summary>The number of elements, the product of the dimensions.</summary>
    public long ElementLength => DescribeGuard.ElementCount(nameof(Shape), Name, Shape.AsSpan());

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The row-major stride of each dimension, in elements (the last is one).</summary>
    public ImmutableArray<long> Strides
    {
        get
        {
            var strides = new long[Shape.Length];
            long stride = 1;
            for (var d = Shape.Length - 1; d >= 0; d--)
            {
                strides[d] = stride;
                stride *= Shape[d];
            }

            return [.. strides];
        }
    }

    /// <summary>Declares a tensor.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="shape">The dimensions, outermost first.</param>
    /// <returns>The declaration.</returns>
    public static TensorDeclaration Create(string name, params ReadOnlySpan<int> shape) => new(name, [.. shape]);

    /// <summary>Reads the tensor at the given indices, one per dimension.</summary>
    /// <param name="indices">The index expressions.</param>
    /// <returns>The access.</returns>
    public TensorAccess this[params AffineExpression[] indices] => new(this, [.. indices]);

    /// <summary>True when both have the same name and shape.</summary>
    /// <param name="other">The other declaration.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(TensorDeclaration? other) =>
        other is not null && Name == other.Name && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        foreach (var d in Shape)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Prints the declaration as <c>name[d0][d1]...</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name}[{string.Join("][", Shape)}]";

    private static ImmutableArray<int> CheckShape(ImmutableArray<int> shape, string name)
    {
        if (shape.IsDefaultOrEmpty)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.InvalidTensorShape,
                nameof(Shape),
                $"Shape = [] of tensor '{name}' is not valid: a tensor has at least one dimension.");
        }

        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 1)
            {
                DescribeGuard.Fail(
                    DescribeDiagnostics.InvalidTensorShape,
                    nameof(Shape),
                    $"Shape[{d}] = {DescribeGuard.Format(shape[d])} of tensor '{name}' is not valid: every dimension must be at least 1.");
            }
        }

        DescribeGuard.ElementCount(nameof(Shape), name, shape.AsSpan());
        return shape;
    }
}
