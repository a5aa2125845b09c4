using System.Globalization;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// A layout step: a kernel of the compute cores that moves one framework tensor from the layout
/// <see cref="Source"/> into the layout <see cref="Destination"/> (a permute, blocking, zero padding),
/// on each of <see cref="Share"/>'s core groups. Each group moves the elements <see cref="Share"/> gives
/// it: all of them when the share is replicated (each group packs its own copy), its own part when it
/// is split (each group gathers the part it computed). Only framework elements move: the destination's
/// padding is zero from allocation; a copy into padded rows writes their zeros again along with the elements, to
/// put them as one run, and no step writes any other. Compared by value.
/// </summary>
/// <param name="Name">Names the step in profiles and in C (an identifier is derived from it).</param>
/// <param name="Kind">What the step does for its kernel.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Source">The layout read.</param>
/// <param name="Destination">The layout written.</param>
/// <param name="Share">Which core groups run the step and which elements each moves.</param>
public sealed record LayoutStep(string Name, LayoutStepKind Kind, ElementType ElementType, TensorLayout Source, TensorLayout Destination, Distribution Share)
{
    /// <summary>The framework tensor moved.</summary>
    public TensorDeclaration Tensor => Source.Tensor;

    /// <summary>The core groups that run the step.</summary>
    public int CoreGroups => Share.CoreGroups;

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes => ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);

    /// <summary>
    /// A step from the framework's layout of <paramref name="placement"/>'s tensor into the placement, on
    /// each of its core groups (each packs the whole tensor, or the part it holds when split).
    /// </summary>
    public static LayoutStep Pack(TensorPlacement placement, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return new LayoutStep($"pack {placement.Tensor.Name}", LayoutStepKind.Pack, elementType, TensorLayout.RowMajor(placement.Tensor), placement.Layout, placement.Distribution);
    }

    /// <summary>A step from <paramref name="placement"/> into the framework's layout: each core group writes the elements it holds.</summary>
    public static LayoutStep Unpack(TensorPlacement placement, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return new LayoutStep($"unpack {placement.Tensor.Name}", LayoutStepKind.Unpack, elementType, placement.Layout, TensorLayout.RowMajor(placement.Tensor), placement.Distribution);
    }

    /// <summary>
    /// A step from <paramref name="from"/> into <paramref name="to"/>, two kernels' placements of tensors of
    /// one shape that hold their elements on the same core groups (a producer's output and a consumer's input
    /// that disagree on the layout alone): each group reorders the elements it holds, in its own memory.
    /// </summary>
    /// <exception cref="ArgumentException">The tensors' shapes or the distributions differ.</exception>
    public static LayoutStep Reorder(string name, TensorPlacement from, TensorPlacement to, ElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!from.Tensor.Shape.SequenceEqual(to.Tensor.Shape))
        {
            throw new ArgumentException($"A reorder keeps the tensor's shape: {from.Tensor} cannot become {to.Tensor}.", nameof(to));
        }

        if (!from.Distribution.Equals(to.Distribution))
        {
            throw new ArgumentException($"A reorder keeps each core group's elements where they are: '{from.Distribution}' is not '{to.Distribution}'.", nameof(to));
        }

        return new LayoutStep(name, LayoutStepKind.Reorder, elementType, from.Layout, to.Layout with { Tensor = from.Tensor }, to.Distribution);
    }

    /// <summary>E.g. <c>pack input: input[2][3][5][6] -&gt; [1:3, 2:7@1, 3:7@1, 0:2] on 4 core groups (replicated)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Source} => {Destination}, {Share}");
}
