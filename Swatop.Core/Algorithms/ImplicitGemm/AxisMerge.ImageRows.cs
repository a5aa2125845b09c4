using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// One image a mesh row: the batch joined to a merge of two position axes (<c>MergedAxes = ["n", "oh", "ow"]</c>), so that
/// M walks <c>[image, position]</c> and a CPE's block of M is all of one image's positions (<see cref="ImplicitGemm.ImageRows"/>).
/// A 1 x 1, stride-1 convolution without padding then reads and writes NCHW in place with its output's puts one block a
/// channel and image, and reads its weights once for eight images.
/// </summary>
/// <remarks>
/// The view replaces, in each tensor that reads them, the batch's dimension and the positions' (which must be the tensor's
/// last, its positions contiguous) by one dimension of M, first; the other dimensions keep their order. It applies where
/// the positions merge (<see cref="TryCreate(OperatorSpec, string, string, out string?)"/>) and every tensor that reads the
/// batch or the positions reads the batch exactly in one dimension of its extent and the positions exactly in its last.
/// </remarks>
internal sealed partial class AxisMerge
{
    /// <summary>For image rows, the merge of the positions the images join; null otherwise.</summary>
    private readonly AxisMerge? _positions;

    private AxisMerge(AxisMerge positions, Axis batch, OperatorSpec view, ImageRows rows)
        : this(batch, positions.Merged, view, ImmutableDictionary<string, (TensorDeclaration, int)>.Empty)
    {
        _positions = positions;
        ImageRows = rows;
    }

    /// <summary>The image rows of this merge (M as <c>[image, position]</c>, one image a mesh row), or null for a merge or a fold of two axes.</summary>
    public ImageRows? ImageRows { get; }

    /// <summary>Every way <paramref name="spec"/> can give each mesh row one image: each batch axis joined to each merge of two position axes, over 1, 2, 4 or 8 mesh rows an image (each distinct tile of M once).</summary>
    private static IEnumerable<AxisMerge> AllImageRows(OperatorSpec spec)
    {
        var axes = spec.Expression.IndexAxes.Where(a => a.Extent > 1).ToList();
        foreach (var outer in axes)
        {
            foreach (var inner in axes.Where(a => a != outer))
            {
                foreach (var batch in axes.Where(a => a != outer && a != inner))
                {
                    if (TryImageRows(spec, [batch.Name, outer.Name, inner.Name], 0, out _) is not { } first)
                    {
                        continue;
                    }

                    foreach (var rows in ImplicitGemm.ImageRows.DistinctRows(first.ImageRows!.Positions.Extent))
                    {
                        yield return rows == 1 ? first : TryImageRows(spec, [batch.Name, outer.Name, inner.Name], MeshGemmRules.MeshSize * ImplicitGemm.ImageRows.PaddedRun(first.ImageRows.Positions.Extent, rows), out _)!;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The image rows of <paramref name="names"/> (the batch, then the outer and inner position axes) whose tile of M is
    /// <paramref name="tileM"/> (an image over as many mesh rows as give it; over one where none does), or null with the rule they break.
    /// </summary>
    private static AxisMerge? TryImageRows(OperatorSpec spec, IReadOnlyList<string> names, int tileM, out string? error)
    {
        var label = $"MergedAxes = [{string.Join(", ", names)}]";
        if (TryCreate(spec, names[1], names[2], out var positionsError) is not { } positions)
        {
            error = $"{label} cannot give each mesh row one image: its positions do not merge. {positionsError}";
            return null;
        }

        var e = positions.View.Expression;
        var p = positions.Merged;
        var batch = spec.Expression.IndexAxes.FirstOrDefault(a => a.Name == names[0]);
        var name = NameOf(names[0], p.Name);
        error = batch is null || batch.Name == names[1] || batch.Name == names[2] ? $"'{names[0]}' must be an index axis of the operator other than the positions"
            : e.Axes.Any(a => a.Name == name) ? $"the operator already has an axis named '{name}'"
            : EpilogueOperands.ChannelAxis(spec) == batch.Name && spec.Epilogue.Steps.OfType<BiasStep>().Any() ? $"the epilogue's bias is indexed by {batch.Name}"
            : null;
        if (error is not null)
        {
            error = $"{label} cannot give each mesh row one image: {error}.";
            return null;
        }

        var tensors = ImmutableDictionary.CreateBuilder<string, ImageRows.Tensor>();
        var views = new Dictionary<string, TensorAccess>();
        var padded = new ImageRows(batch!, p, ImmutableDictionary<string, ImageRows.Tensor>.Empty, ImplicitGemm.ImageRows.RowsFor(p.Extent, tileM) ?? 1);
        if (padded.Extent > int.MaxValue)
        {
            error = $"{label} cannot give each mesh row one image: {padded.Extent} positions of M exceed int.MaxValue.";
            return null;
        }

        var m = new Axis(name, (int)padded.Extent, AxisKind.Index);
        foreach (var access in new[] { e.Output }.Concat(e.Inputs))
        {
            var images = Enumerable.Range(0, access.Indices.Length).Where(d => access.Indices[d].DependsOn(batch!)).ToList();
            var places = Enumerable.Range(0, access.Indices.Length).Where(d => access.Indices[d].DependsOn(p)).ToList();
            if (images.Count == 0 && places.Count == 0)
            {
                views[access.Tensor.Name] = access;
                continue;
            }

            var last = access.Indices.Length - 1;
            if (images.Count != 1 || places.Count != 1 || images[0] == last || places[0] != last
                || !access.Indices[images[0]].Equals(AffineExpression.Of(batch!)) || !access.Indices[last].Equals(AffineExpression.Of(p))
                || access.Tensor.Shape[images[0]] != batch!.Extent || access.Tensor.Shape[last] != p.Extent)
            {
                error = $"{label} cannot give each mesh row one image: {access} does not read {batch!.Name} exactly in one dimension and {p.Name} exactly in its last, each of its extent.";
                return null;
            }

            var kept = Enumerable.Range(0, access.Indices.Length).Where(d => d != images[0] && d != last).ToList();
            var shape = ImmutableArray.Create(m.Extent).AddRange(kept.Select(d => access.Tensor.Shape[d]));
            var indices = ImmutableArray.Create(AffineExpression.Of(m)).AddRange(kept.Select(d => access.Indices[d]));
            views[access.Tensor.Name] = new TensorAccess(new TensorDeclaration(access.Tensor.Name, shape), indices);
            tensors[access.Tensor.Name] = new ImageRows.Tensor(access, images[0], last);
        }

        if (!tensors.TryGetValue(e.Output.Tensor.Name, out var output))
        {
            error = $"{label} cannot give each mesh row one image: the output {e.Output} does not read {batch!.Name} and {p.Name}.";
            return null;
        }

        var expression = Contraction.Create(
            e.Name, e.IndexAxes.Where(a => a != p).Select(a => a == batch ? m : a), e.ReductionAxes,
            views[e.Output.Tensor.Name], views[e.Left.Tensor.Name], views[e.Right.Tensor.Name]);
        if (spec.Epilogue.Steps.OfType<ResidualAddStep>().Any())
        {
            // The residual is read as the output is written: its images and positions lie alike.
            tensors[ResidualAddStep.Name] = output with { Access = new TensorAccess(new TensorDeclaration(ResidualAddStep.Name, output.Access.Tensor.Shape), output.Access.Indices) };
        }

        return new AxisMerge(positions, batch!, spec.WithExpression(expression), padded with { Tensors = tensors.ToImmutable() });
    }

    /// <summary>
    /// An image-rows view's layout as the framework tensor's: a tensor that reads M lies as <see cref="ImplicitGemm.ImageRows.Layout"/>
    /// says, the positions-merged tensor, given back over the framework tensor by the merge of the positions; any other as it is.
    /// </summary>
    private TensorLayout? ImageRowsToFramework(TensorLayout layout) => _positions!.ToFramework(layout);

    /// <summary>
    /// An image-rows view's distribution over the framework tensor: a split of M (in tiles of <see cref="ImplicitGemm.ImageRows.ImagesPerTile"/>
    /// images, each <see cref="ImplicitGemm.ImageRows.RowsPerImage"/> runs of the view's positions) is a split of the batch in blocks of that
    /// many images; a split of another dimension is that dimension's. Null for a split of M not in whole images.
    /// </summary>
    private Distribution? ImageRowsToFramework(Distribution distribution, TensorDeclaration tensor)
    {
        if (distribution is not SplitDistribution split || !ImageRows!.Tensors.TryGetValue(tensor.Name, out var held))
        {
            return _positions!.ToFramework(distribution, tensor);
        }

        var rows = ImageRows;
        var (access, batch, position) = held;
        SplitDistribution positioned;
        if (split.Dimension == 0)
        {
            // An image spans RowsPerImage runs of the view's positions: a split step of a tile is ImagesPerTile images.
            var image = (long)rows.RowsPerImage * rows.PaddedPositions;
            if (split.Stride != 1 || split.Step % image != 0)
            {
                return null;
            }

            positioned = new SplitDistribution(split.CoreGroups, batch, 1, rows.Batch.Extent, split.Step / image, split.Chunk);
        }
        else
        {
            var kept = Enumerable.Range(0, access.Indices.Length).Where(d => d != batch && d != position).ToList();
            positioned = new SplitDistribution(split.CoreGroups, kept[split.Dimension - 1], split.Stride, split.Extent, split.Step, split.Chunk);
        }

        return _positions!.ToFramework(positioned, access.Tensor);
    }
}
