using System.Collections.Immutable;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Two index axes of an operator seen as one (<see cref="ImplicitGemmSchedule.MergedAxes"/>): wherever a
/// tensor reads them, it holds the outer and then the inner as adjacent dimensions of exactly their
/// extents, so that the pair is one dimension of the same bytes, <c>outer * inner extent + inner</c>. A
/// 1 x 1, stride-1 convolution without padding is the case that matters: its output rows and columns
/// become one axis of all the image's positions, which the mesh GEMM's M can walk in tiles as long as
/// the image, reading and writing NCHW (or NHWC) in place.
/// </summary>
/// <remarks>
/// The merge works on a view of the operator: the same tensor names, each merged pair of dimensions one
/// dimension, and reduction axes of one position that index a merged dimension (a 1 x 1 kernel's taps)
/// replaced by 0 everywhere. A plan lowers the view; its layouts and distributions are given back over
/// the framework tensors (<see cref="ToFramework(TensorLayout)"/>), which a merged dimension can be only
/// when it is neither padded nor blocked, and split only in whole rows of the inner axis.
/// A pair whose dimensions are not adjacent may instead fold (<see cref="IsFold"/>, AxisMerge.Fold.cs): the batch
/// kept innermost within the width, one block of images a core group.
/// </remarks>
internal sealed partial class AxisMerge
{
    private readonly ImmutableDictionary<string, (TensorDeclaration Framework, int Dimension)> _merged;

    private AxisMerge(Axis outer, Axis inner, OperatorSpec view, ImmutableDictionary<string, (TensorDeclaration, int)> merged)
        : this(outer, inner, view, merged, 1, ImmutableDictionary<string, (TensorDeclaration, int, int)>.Empty)
    {
    }

    private AxisMerge(Axis outer, Axis inner, OperatorSpec view, ImmutableDictionary<string, (TensorDeclaration, int)> merged, int factor, ImmutableDictionary<string, (TensorDeclaration, int, int)> folded)
    {
        (Outer, Inner, View, _merged, Factor, _folded) = (outer, inner, view, merged, factor, folded);
        Merged = view.Expression.Axis(NameOf(outer.Name, inner.Name));
    }

    /// <summary>The outer axis of the pair.</summary>
    public Axis Outer { get; }

    /// <summary>The inner axis of the pair.</summary>
    public Axis Inner { get; }

    /// <summary>The axis the pair becomes in <see cref="View"/>.</summary>
    public Axis Merged { get; }

    /// <summary>The operator with the pair merged.</summary>
    public OperatorSpec View { get; }

    /// <summary>The axes of <see cref="ImplicitGemmSchedule.MergedAxes"/> that name this merge.</summary>
    public ImmutableArray<string> Names => _positions is null ? [Outer.Name, Inner.Name] : [Outer.Name, .. _positions.Names];

    /// <summary>The name of the axis that <paramref name="outer"/> and <paramref name="inner"/> become.</summary>
    public static string NameOf(string outer, string inner) => $"{outer}_{inner}";

    /// <summary>
    /// Every pair of <paramref name="spec"/>'s index axes of more than one position that can be merged, in the order of its
    /// index axes, each as a merge or, where its dimensions are not adjacent, as a fold over <paramref name="coreGroups"/> groups;
    /// then each batch axis that can join a merged pair as image rows (AxisMerge.ImageRows.cs).
    /// </summary>
    public static IEnumerable<AxisMerge> All(OperatorSpec spec, int coreGroups = 1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var axes = spec.Expression.IndexAxes.Where(a => a.Extent > 1).ToList();
        foreach (var outer in axes)
        {
            foreach (var inner in axes.Where(a => a != outer))
            {
                if ((TryCreate(spec, outer.Name, inner.Name, out _) ?? TryFold(spec, outer.Name, inner.Name, coreGroups, out _)) is { } merge)
                {
                    yield return merge;
                }
            }
        }

        foreach (var rows in AllImageRows(spec))
        {
            yield return rows;
        }
    }

    /// <summary>
    /// The merge of <paramref name="names"/> (the outer index axis, then the inner) in <paramref name="spec"/>, or, where
    /// their dimensions are not adjacent, their fold over <paramref name="coreGroups"/> core groups (<see cref="IsFold"/>);
    /// null with the rules both break in <paramref name="error"/>. Three names (the batch, then two position axes) give each
    /// mesh row one image (<see cref="ImageRows"/>), over as many mesh rows an image as make <paramref name="tileM"/>.
    /// </summary>
    public static AxisMerge? TryCreate(OperatorSpec spec, IReadOnlyList<string> names, int coreGroups, out string? error, int tileM = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 3)
        {
            return TryImageRows(spec, names, tileM, out error);
        }

        if (names.Count != 2)
        {
            error = $"MergedAxes = [{string.Join(", ", names)}] must name two index axes, the outer then the inner, or the batch then two position axes (one image a mesh row), or none.";
            return null;
        }

        if (TryCreate(spec, names[0], names[1], out error) is { } merge)
        {
            return merge;
        }

        if (TryFold(spec, names[0], names[1], coreGroups, out var foldError) is { } fold)
        {
            error = null;
            return fold;
        }

        error = $"{error} Nor can they fold: {foldError}";
        return null;
    }

    private static AxisMerge? TryCreate(OperatorSpec spec, string outerName, string innerName, out string? error)
    {
        var e = spec.Expression;
        var outer = e.IndexAxes.FirstOrDefault(a => a.Name == outerName);
        var inner = e.IndexAxes.FirstOrDefault(a => a.Name == innerName);
        error = outer is null || inner is null || outer == inner ? $"'{outerName}' and '{innerName}' must be two index axes of the operator ({string.Join(", ", e.IndexAxes.Select(a => a.Name))})"
            : e.Axes.Any(a => a.Name == NameOf(outerName, innerName)) ? $"the operator already has an axis named '{NameOf(outerName, innerName)}'"
            : (long)outer.Extent * inner.Extent > int.MaxValue ? $"{outerName} x {innerName} = {(long)outer.Extent * inner.Extent} positions exceed int.MaxValue"
            : null;
        if (error is not null)
        {
            error = $"MergedAxes = [{outerName}, {innerName}] cannot be merged: {error}.";
            return null;
        }

        if (EpilogueOperands.ChannelAxis(spec) is { } channels && spec.Epilogue.Steps.OfType<BiasStep>().Any() && (outerName == channels || innerName == channels))
        {
            error = $"MergedAxes = [{outerName}, {innerName}] cannot be merged: the epilogue's bias is indexed by the channel axis {channels}.";
            return null;
        }

        // Reduction axes of one position that index the pair's dimensions (a 1 x 1 kernel's taps) are always 0.
        TensorAccess[] accesses = [e.Output, .. e.Inputs];
        var dropped = accesses.SelectMany(access => access.Indices)
            .Where(index => index.DependsOn(outer!) || index.DependsOn(inner!))
            .SelectMany(index => index.Terms.Select(t => t.Axis)).Where(a => a.Kind == AxisKind.Reduction && a.Extent == 1).ToHashSet();
        var reduction = e.ReductionAxes.Where(a => !dropped.Contains(a)).ToList();
        if (reduction.Count == 0)
        {
            error = $"MergedAxes = [{outerName}, {innerName}] cannot be merged: no reduction axis would be left.";
            return null;
        }

        var merged = new Axis(NameOf(outerName, innerName), outer!.Extent * inner!.Extent, AxisKind.Index);
        var views = new Dictionary<string, TensorAccess>();
        var dimensions = ImmutableDictionary.CreateBuilder<string, (TensorDeclaration, int)>();
        foreach (var access in accesses)
        {
            var indices = access.Indices.Select(index => AffineExpression.Create(index.Terms.Where(t => !dropped.Contains(t.Axis)), index.Constant)).ToImmutableArray();
            var reading = Enumerable.Range(0, indices.Length).Where(d => indices[d].DependsOn(outer) || indices[d].DependsOn(inner)).ToList();
            if (reading.Count == 0)
            {
                views[access.Tensor.Name] = new TensorAccess(access.Tensor, indices);
                continue;
            }

            var d = reading[0];
            if (reading.Count != 2 || reading[1] != d + 1 || !indices[d].Equals(AffineExpression.Of(outer)) || !indices[d + 1].Equals(AffineExpression.Of(inner))
                || access.Tensor.Shape[d] != outer.Extent || access.Tensor.Shape[d + 1] != inner.Extent)
            {
                error = $"MergedAxes = [{outerName}, {innerName}] cannot be merged: {access} does not hold {outerName} and then {innerName} as adjacent dimensions of their extents {outer.Extent} and {inner.Extent}.";
                return null;
            }

            var shape = access.Tensor.Shape.RemoveAt(d + 1).SetItem(d, merged.Extent);
            views[access.Tensor.Name] = new TensorAccess(new TensorDeclaration(access.Tensor.Name, shape), indices.RemoveAt(d + 1).SetItem(d, AffineExpression.Of(merged)));
            dimensions[access.Tensor.Name] = (access.Tensor, d);
        }

        var expression = Contraction.Create(
            e.Name, e.IndexAxes.Where(a => a != inner).Select(a => a == outer ? merged : a), reduction,
            views[e.Output.Tensor.Name], views[e.Left.Tensor.Name], views[e.Right.Tensor.Name]);
        if (dimensions.TryGetValue(e.Output.Tensor.Name, out var written) && spec.Epilogue.Steps.OfType<ResidualAddStep>().Any())
        {
            // The residual is read as the output is written: the same dimensions merge.
            dimensions[ResidualAddStep.Name] = (new TensorDeclaration(ResidualAddStep.Name, e.Output.Tensor.Shape), written.Item2);
        }

        return new AxisMerge(outer, inner, spec.WithExpression(expression), dimensions.ToImmutable());
    }

    /// <summary>
    /// <paramref name="layout"/>, a layout of a view tensor, as the same bytes over the framework tensor, or
    /// null when it pads or blocks a merged dimension (which the framework tensor's two dimensions cannot say).
    /// </summary>
    public TensorLayout? ToFramework(TensorLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (IsFold)
        {
            return FoldToFramework(layout);
        }

        if (ImageRows is not null)
        {
            return ImageRowsToFramework(layout);
        }

        if (!_merged.TryGetValue(layout.Tensor.Name, out var merged))
        {
            return layout;
        }

        var (framework, d) = merged;
        if (layout.Origins[d] != 0 || layout.Lengths[d] != layout.Tensor.Shape[d] || layout.Blocks[d] != 0)
        {
            return null;
        }

        var order = layout.Order.SelectMany(o => o < d ? [o] : o == d ? new[] { d, d + 1 } : [o + 1]).ToImmutableArray();
        return new TensorLayout(
            framework,
            order,
            layout.Origins.Insert(d + 1, 0),
            layout.Lengths.SetItem(d, framework.Shape[d]).Insert(d + 1, framework.Shape[d + 1]),
            layout.Blocks.Insert(d + 1, 0));
    }

    /// <summary>
    /// <paramref name="distribution"/> of view tensor <paramref name="tensor"/> over the framework tensor, or
    /// null when it splits a merged dimension other than in whole rows of the inner axis.
    /// </summary>
    public Distribution? ToFramework(Distribution distribution, TensorDeclaration tensor)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(tensor);
        if (IsFold)
        {
            return FoldToFramework(distribution, tensor);
        }

        if (ImageRows is not null)
        {
            return ImageRowsToFramework(distribution, tensor);
        }

        if (distribution is not SplitDistribution split || !_merged.TryGetValue(tensor.Name, out var merged))
        {
            return distribution;
        }

        var (framework, d) = merged;
        if (split.Dimension < d)
        {
            return split;
        }

        if (split.Dimension > d)
        {
            return new SplitDistribution(split.CoreGroups, split.Dimension + 1, split.Stride, split.Extent, split.Step, split.Chunk);
        }

        var row = framework.Shape[d + 1];
        return split.Stride == 1 && split.PositionsPerGroup % row == 0
            ? new SplitDistribution(split.CoreGroups, d, 1, framework.Shape[d], split.PositionsPerGroup / row, 1)
            : null;
    }
}
