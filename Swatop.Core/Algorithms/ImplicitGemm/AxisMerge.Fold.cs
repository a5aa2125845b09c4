using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// The fold of a batch axis into a width axis: with <c>G</c> core groups and <c>F = batch / G</c>, the view holds the
/// batch as <c>G</c> blocks of <c>F</c> images (the inner axis keeps its name, of extent <c>G</c>) and the width and the
/// images of a block as one axis <c>{outer}_{inner}</c> of <c>width * F</c> positions, <c>w * F + image</c>. A tensor that
/// reads both holds them in the view as its block dimension and its width dimension of <c>F</c> times the positions, which
/// are the bytes of the framework tensor in the layout <c>[n / F, ..., w, n % F]</c>: the batch innermost within the width,
/// blocked. A sliding window along the width stays affine (each tap moves <c>F</c> positions), so the mesh GEMM's M can walk
/// 128 positions of a block of 32 images (4 columns) where M = n would find only 32 images a core group, and a split of the
/// blocks over the groups keeps each group's share of the batch.
/// </summary>
/// <remarks>
/// A fold applies where the outer axis indexes the output's last dimension with coefficient 1 (stride 1) and every tensor
/// that reads either axis reads both, the inner exactly. Its layouts say the same bytes as the framework tensor's only when
/// the width is the view layout's innermost dimension and nothing else in that tensor is blocked, which is why
/// <see cref="LoopPlan"/> asks M to walk the folded axis (its operands keep M innermost, unblocked).
/// </remarks>
internal sealed partial class AxisMerge
{
    /// <summary>For a fold, by tensor name: the framework tensor, its batch dimension and its width dimension.</summary>
    private readonly ImmutableDictionary<string, (TensorDeclaration Framework, int Batch, int Width)> _folded;

    /// <summary>Whether the pair folds (the batch blocked innermost within the width) rather than merges.</summary>
    public bool IsFold => Factor > 1;

    /// <summary>Images of a block, <c>F</c>, for a fold; 1 for a merge.</summary>
    public int Factor { get; }

    /// <summary>The view's name for <paramref name="axis"/>, an axis of the operator: the merged axis for the pair's (a fold's inner keeps its name).</summary>
    public string ViewNameOf(Axis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        return axis == Outer || (axis == Inner && !IsFold) || (_positions is not null && _positions.ViewNameOf(axis) == _positions.Merged.Name) ? Merged.Name : axis.Name;
    }

    /// <summary>The fold of <paramref name="innerName"/> (the batch) into <paramref name="outerName"/> over <paramref name="coreGroups"/> groups, or null with the rule it breaks.</summary>
    private static AxisMerge? TryFold(OperatorSpec spec, string outerName, string innerName, int coreGroups, out string? error)
    {
        var e = spec.Expression;
        var outer = e.IndexAxes.FirstOrDefault(a => a.Name == outerName);
        var inner = e.IndexAxes.FirstOrDefault(a => a.Name == innerName);
        var factor = inner is null || coreGroups < 2 ? 0 : inner.Extent / coreGroups;
        error = outer is null || inner is null || outer == inner ? $"'{outerName}' and '{innerName}' must be two index axes of the operator"
            : coreGroups < 2 || inner.Extent % coreGroups != 0 || factor < 2 ? $"{innerName} = {inner.Extent} positions must be a multiple of the {coreGroups} core groups, at least two a group"
            : e.Axes.Any(a => a.Name == NameOf(outerName, innerName)) ? $"the operator already has an axis named '{NameOf(outerName, innerName)}'"
            : (long)outer.Extent * factor > int.MaxValue ? $"{outerName} x {factor} = {(long)outer.Extent * factor} positions exceed int.MaxValue"
            : e.Output.Indices.Length == 0 || !e.Output.Indices[^1].Equals(AffineExpression.Of(outer)) ? $"{outerName} is not the output's last dimension"
            : EpilogueOperands.ChannelAxis(spec) is { } channels && spec.Epilogue.Steps.OfType<BiasStep>().Any() && (outerName == channels || innerName == channels)
                ? $"the epilogue's bias is indexed by the channel axis {channels}"
            : null;
        if (error is not null)
        {
            error = $"MergedAxes = [{outerName}, {innerName}] cannot fold: {error}.";
            return null;
        }

        var blocks = new Axis(inner!.Name, coreGroups, AxisKind.Index);
        var merged = new Axis(NameOf(outerName, innerName), outer!.Extent * factor, AxisKind.Index);
        var views = new Dictionary<string, TensorAccess>();
        var folded = ImmutableDictionary.CreateBuilder<string, (TensorDeclaration, int, int)>();
        foreach (var access in new[] { e.Output }.Concat(e.Inputs))
        {
            var batch = Enumerable.Range(0, access.Indices.Length).Where(d => access.Indices[d].DependsOn(inner)).ToList();
            var width = Enumerable.Range(0, access.Indices.Length).Where(d => access.Indices[d].DependsOn(outer)).ToList();
            if (batch.Count == 0 && width.Count == 0)
            {
                views[access.Tensor.Name] = access;
                continue;
            }

            if (batch.Count != 1 || width.Count != 1 || batch[0] == width[0] || !access.Indices[batch[0]].Equals(AffineExpression.Of(inner))
                || access.Tensor.Shape[batch[0]] != inner.Extent || access.Indices[width[0]].CoefficientOf(outer) != 1)
            {
                error = $"MergedAxes = [{outerName}, {innerName}] cannot fold: {access} does not read {innerName} exactly in one dimension and {outerName} with coefficient 1 in another.";
                return null;
            }

            var (b, w) = (batch[0], width[0]);
            var index = access.Indices[w];
            var widthIndex = AffineExpression.Create(index.Terms.Select(t => t.Axis == outer ? new AffineTerm(merged, 1) : new AffineTerm(t.Axis, t.Coefficient * factor)), index.Constant * factor);
            var shape = access.Tensor.Shape.SetItem(b, coreGroups).SetItem(w, access.Tensor.Shape[w] * factor);
            views[access.Tensor.Name] = new TensorAccess(new TensorDeclaration(access.Tensor.Name, shape), access.Indices.SetItem(b, AffineExpression.Of(blocks)).SetItem(w, widthIndex));
            folded[access.Tensor.Name] = (access.Tensor, b, w);
        }

        var expression = Contraction.Create(
            e.Name, e.IndexAxes.Select(a => a == outer ? merged : a == inner ? blocks : a), e.ReductionAxes,
            views[e.Output.Tensor.Name], views[e.Left.Tensor.Name], views[e.Right.Tensor.Name]);
        if (folded.TryGetValue(e.Output.Tensor.Name, out var written) && spec.Epilogue.Steps.OfType<ResidualAddStep>().Any())
        {
            // The residual is read as the output is written: it folds alike.
            folded[ResidualAddStep.Name] = (new TensorDeclaration(ResidualAddStep.Name, e.Output.Tensor.Shape), written.Item2, written.Item3);
        }

        return new AxisMerge(outer, inner, spec.WithExpression(expression), ImmutableDictionary<string, (TensorDeclaration, int)>.Empty, factor, folded.ToImmutable());
    }

    /// <summary>
    /// <paramref name="margins"/>, given over the framework tensor <paramref name="tensor"/>, in this view: a fold's width
    /// margin of one column is <see cref="Factor"/> positions of the folded axis (the images of a block), every other
    /// dimension's as given. A merge's view has other dimensions, which take no margin (<see cref="LoopPlan"/> refuses them).
    /// </summary>
    public OutputMargins InView(OutputMargins margins, string tensor)
    {
        ArgumentNullException.ThrowIfNull(margins);
        if (!_folded.TryGetValue(tensor, out var folded))
        {
            return !_merged.ContainsKey(tensor) ? margins
                : TakesMargins(margins, tensor) ? MergedInView(margins, tensor)
                : throw new InvalidOperationException($"Margins {margins} over the merged dimensions of '{tensor}' have no view; the plan's checks leave none.");
        }

        var w = folded.Width;
        return new OutputMargins(margins.Before.SetItem(w, margins.Before[w] * Factor), margins.After.SetItem(w, margins.After[w] * Factor));
    }

    /// <summary>
    /// A fold's view layout as the framework tensor's: the block dimension becomes the batch cut in blocks of
    /// <see cref="Factor"/>, the width dimension its positions over <see cref="Factor"/>. Null where the bytes would differ:
    /// the width not innermost, another dimension blocked, the block or width dimension blocked or cut off a block.
    /// </summary>
    private TensorLayout? FoldToFramework(TensorLayout layout)
    {
        if (!_folded.TryGetValue(layout.Tensor.Name, out var folded))
        {
            return layout;
        }

        var (framework, b, w) = folded;
        var innermost = layout.Order.LastOrDefault(d => layout.Lengths[d] > 1);
        if (layout.Window is not null || layout.Blocks.Any(block => block != 0) || innermost != w || layout.Origins[b] != 0 || layout.Lengths[b] != layout.Tensor.Shape[b]
            || layout.Origins[w] % Factor != 0 || layout.Lengths[w] % Factor != 0)
        {
            return null;
        }

        return new TensorLayout(
            framework,
            layout.Order,
            layout.Origins.SetItem(w, layout.Origins[w] / Factor),
            layout.Lengths.SetItem(b, framework.Shape[b]).SetItem(w, layout.Lengths[w] / Factor),
            layout.Blocks.SetItem(b, Factor));
    }

    /// <summary>
    /// A fold's view distribution over the framework tensor: a split of the blocks is a split of the batch in whole blocks, one of
    /// the width in whole columns; null for a split of the width in part of a column.
    /// </summary>
    private Distribution? FoldToFramework(Distribution distribution, TensorDeclaration tensor)
    {
        if (distribution is not SplitDistribution split || !_folded.TryGetValue(tensor.Name, out var folded))
        {
            return distribution;
        }

        var (framework, b, w) = folded;
        if (split.Dimension == b)
        {
            return split.Stride == 1 ? new SplitDistribution(split.CoreGroups, b, 1, framework.Shape[b], split.Step * Factor, split.Chunk) : null;
        }

        if (split.Dimension == w)
        {
            return split.Stride == 1 && split.PositionsPerGroup % Factor == 0
                ? new SplitDistribution(split.CoreGroups, w, 1, framework.Shape[w], split.PositionsPerGroup / Factor, 1)
                : null;
        }

        return split;
    }
}
