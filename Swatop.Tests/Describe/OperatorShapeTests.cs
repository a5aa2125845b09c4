using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Describe;

/// <summary>The builders state their operators with the documented axes, tensors and shapes.</summary>
public sealed class OperatorShapeTests
{
    private static string[] Names(IEnumerable<Axis> axes) => [.. axes.Select(a => a.Name)];

    [Test]
    public void GemmWithoutBatchHasTwoDimensionalTensors()
    {
        var spec = Operator.Gemm(m: 2, n: 3, k: 4);
        var e = spec.Expression;
        Assert.That(spec.Kind, Is.EqualTo(OperatorKind.Gemm));
        Assert.That(spec.ElementType, Is.EqualTo(ElementType.Float64));
        Assert.That(Names(e.IndexAxes), Is.EqualTo(new[] { "m", "n" }));
        Assert.That(Names(e.ReductionAxes), Is.EqualTo(new[] { "k" }));
        Assert.That(e.Left.ToString(), Is.EqualTo("A[m][k]"));
        Assert.That(e.Right.ToString(), Is.EqualTo("B[k][n]"));
        Assert.That(e.Output.ToString(), Is.EqualTo("C[m][n]"));
        Assert.That(e.Left.Tensor.Shape, Is.EqualTo(new[] { 2, 4 }));
        Assert.That(e.Flops, Is.EqualTo(2 * 2 * 3 * 4));
        Assert.That(spec.Attributes, Is.EqualTo(new GemmAttributes(1, 2, 3, 4, false, false)));
    }

    [Test]
    public void BatchedTransposedGemmHasThreeDimensionalTensors()
    {
        var e = Operator.Gemm(m: 2, n: 3, k: 4, transposeA: true, transposeB: true, batch: 5).Expression;
        Assert.That(Names(e.IndexAxes), Is.EqualTo(new[] { "b", "m", "n" }));
        Assert.That(e.Left.ToString(), Is.EqualTo("A[b][k][m]"));
        Assert.That(e.Right.ToString(), Is.EqualTo("B[b][n][k]"));
        Assert.That(e.Output.ToString(), Is.EqualTo("C[b][m][n]"));
        Assert.That(e.Left.Tensor.Shape, Is.EqualTo(new[] { 5, 4, 2 }));
        Assert.That(e.Right.Tensor.Shape, Is.EqualTo(new[] { 5, 3, 4 }));
        Assert.That(e.Output.Tensor.ElementLength, Is.EqualTo(30));
    }

    [Test]
    public void FullyConnectedUsesTheLinearLayout()
    {
        var spec = Operator.FullyConnected(batch: 8, inFeatures: 16, outFeatures: 10, elementType: ElementType.Float32);
        var e = spec.Expression;
        Assert.That(Names(e.Axes), Is.EqualTo(new[] { "m", "n", "k" }));
        Assert.That(e.Left.ToString(), Is.EqualTo("X[m][k]"));
        Assert.That(e.Right.ToString(), Is.EqualTo("W[n][k]"));
        Assert.That(e.Output.ToString(), Is.EqualTo("Y[m][n]"));
        Assert.That(e.Right.Tensor.Shape, Is.EqualTo(new[] { 10, 16 }));
        Assert.That(spec.ElementType, Is.EqualTo(ElementType.Float32));
    }

    [Test]
    public void Conv2dNchwStatesTheWindowAsAffineReads()
    {
        var spec = Operator.Conv2d(batch: 1, inChannels: 3, outChannels: 64, height: 224, width: 224, kernel: 7, stride: 2, padding: 3);
        var e = spec.Expression;
        var a = (Conv2dAttributes)spec.Attributes;
        Assert.That((a.OutHeight, a.OutWidth), Is.EqualTo((112, 112)));
        Assert.That(Names(e.IndexAxes), Is.EqualTo(new[] { "n", "co", "oh", "ow" }));
        Assert.That(Names(e.ReductionAxes), Is.EqualTo(new[] { "ci", "kh", "kw" }));
        Assert.That(e.Left.ToString(), Is.EqualTo("input[n][ci][oh*2 + kh - 3][ow*2 + kw - 3]"));
        Assert.That(e.Right.ToString(), Is.EqualTo("weights[co][ci][kh][kw]"));
        Assert.That(e.Output.Tensor.Shape, Is.EqualTo(new[] { 1, 64, 112, 112 }));
        Assert.That(e.Right.Tensor.Shape, Is.EqualTo(new[] { 64, 3, 7, 7 }));
        Assert.That(e.Flops, Is.EqualTo(2L * 64 * 112 * 112 * 3 * 7 * 7));
    }

    [Test]
    public void GroupedDilatedConv2dNhwcSplitsTheChannels()
    {
        var spec = Operator.Conv2d(
            batch: 2, inChannels: 4, outChannels: 6, height: 9, width: 8, kernel: new Size2(3, 2),
            stride: new Size2(2, 1), padding: new Padding2(1, 2, 0, 1), dilation: 2, groups: 2, layout: ConvLayout.Nhwc);
        var e = spec.Expression;
        var a = (Conv2dAttributes)spec.Attributes;
        // (9 + 1 + 2 - 2*2 - 1) / 2 + 1 = 4; (8 + 0 + 1 - 2*1 - 1) / 1 + 1 = 7.
        Assert.That((a.OutHeight, a.OutWidth), Is.EqualTo((4, 7)));
        Assert.That(Names(e.IndexAxes), Is.EqualTo(new[] { "n", "g", "co", "oh", "ow" }));
        Assert.That(e.Left.ToString(), Is.EqualTo("input[n][oh*2 + kh*2 - 1][ow + kw*2][g*2 + ci]"));
        Assert.That(e.Right.ToString(), Is.EqualTo("weights[g*3 + co][kh][kw][ci]"));
        Assert.That(e.Output.ToString(), Is.EqualTo("output[n][oh][ow][g*3 + co]"));
        Assert.That(e.Right.Tensor.Shape, Is.EqualTo(new[] { 6, 3, 2, 2 }));
        Assert.That(e.Output.Tensor.Shape, Is.EqualTo(new[] { 2, 4, 7, 6 }));
    }

    [Test]
    public void WithElementTypeKeepsEverythingElse()
    {
        var spec = Operator.Gemm(4, 5, 6);
        var single = spec.WithElementType(ElementType.Float32);
        Assert.That(single.ElementType, Is.EqualTo(ElementType.Float32));
        Assert.That(single.Expression, Is.EqualTo(spec.Expression));
        Assert.That(single, Is.Not.EqualTo(spec));
        Assert.That(single.WithElementType(ElementType.Float64), Is.EqualTo(spec));
    }

    [Test]
    public void SameArgumentsBuildEqualSpecs()
    {
        var a = Operator.Conv2d(1, 8, 8, 10, 10, 3, padding: 1);
        var b = Operator.Conv2d(1, 8, 8, 10, 10, 3, padding: 1);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        Assert.That(a.ToString(), Does.Contain("Conv2d").And.Contain("output[n][co][oh][ow]"));
    }

    [Test]
    public void ContractionLooksUpAxesByName()
    {
        var e = Operator.Conv2d(1, 8, 8, 10, 10, 3).Expression;
        Assert.That(e.Axis("kw").Extent, Is.EqualTo(3));
        var missing = Assert.Throws<KeyNotFoundException>(() => e.Axis("x"));
        Assert.That(missing.Message, Does.Contain("'x'").And.Contain("kw"));
    }
}
