using Swatop.Core.Lowering;

namespace Swatop.Core.Layouts;

/// <summary>
/// Where a kernel keeps one operator tensor: in which arrangement (<see cref="Layout"/>: permuted,
/// zero-padded, blocked) and on which core groups (<see cref="Distribution"/>). A lowered kernel
/// advertises one for each of its inputs and its output; a layout step packs a framework tensor into it and
/// another gathers the output out of it. Compared by value.
/// </summary>
/// <param name="Layout">The internal layout in each core group's memory.</param>
/// <param name="Distribution">How the tensor is spread over the core groups.</param>
public sealed record TensorPlacement(TensorLayout Layout, Distribution Distribution)
{
    /// <summary>The internal layout in each core group's memory.</summary>
    public TensorLayout Layout { get; init => field = value ?? throw new ArgumentNullException(nameof(Layout)); } = Layout ?? throw new ArgumentNullException(nameof(Layout));

    /// <summary>How the tensor is spread over the core groups.</summary>
    public Distribution Distribution { get; init => field = value ?? throw new ArgumentNullException(nameof(Distribution)); } = Distribution ?? throw new ArgumentNullException(nameof(Distribution));

    /// <summary>The framework tensor.</summary>
    public TensorDeclaration Tensor => Layout.Tensor;

    /// <summary>
    /// Whether a layout step packs the tensor, as an input: unless its layout is the framework's, in which case
    /// every core group that holds it reads the framework tensor as it is.
    /// </summary>
    public bool IsPackedByHost => !Layout.IsIdentity;

    /// <summary>
    /// Whether the host gathers the tensor, as an output: unless a single core group computes it in the
    /// framework's layout, in place.
    /// </summary>
    public bool IsGatheredByHost => !Layout.IsIdentity || Distribution.CoreGroups > 1;

    /// <summary>The core group that holds the framework element <paramref name="index"/> (<see cref="Distribution.OwnerOf"/>).</summary>
    public int OwnerOf(ReadOnlySpan<long> index) => Distribution.OwnerOf(index);

    /// <summary>
    /// Whether <paramref name="other"/> keeps a tensor of the same shape in the same arrangement on the same
    /// core groups, whatever the tensors are called: a producer's output placement that a consumer can read as it is.
    /// Two row-major layouts in the core groups' memories (<see cref="TensorLayout.IsRowMajor"/>) of as many elements
    /// arrange them alike whatever the shapes (a tensor and the view of it with its positions merged).
    /// </summary>
    public bool Matches(TensorPlacement? other) =>
        other is not null && Distribution.Equals(other.Distribution)
        && (Layout.HasSameArrangement(other.Layout) || IsRowMajorInCoreGroups && other.IsRowMajorInCoreGroups && Layout.Elements == other.Layout.Elements);

    /// <summary>Whether the tensor lies row-major in the core groups' own memories (<see cref="TensorLayout.RowMajorInCoreGroups"/>).</summary>
    public bool IsRowMajorInCoreGroups => Layout.IsRowMajor && !Layout.IsIdentity;

    /// <summary>The layout and the distribution, e.g. <c>C[256][40] -&gt; [1:40, 0:256], split over 2 core groups: ...</c>.</summary>
    public override string ToString() => $"{Layout}, {Distribution}";
}
