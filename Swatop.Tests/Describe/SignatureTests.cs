using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Describe;

/// <summary>The canonical signature: deterministic, and different whenever the computation differs.</summary>
public sealed class SignatureTests
{
    [Test]
    public void ConvolutionSignatureSpellsOutEveryAttribute()
    {
        var spec = Operator.Conv2d(1, 3, 64, 224, 224, kernel: 7, stride: 2, padding: 3, elementType: ElementType.Float32);
        Assert.That(spec.Signature, Is.EqualTo("conv2d n=1 ci=3 co=64 h=224 w=224 k=7x7 s=2x2 p=3,3,3,3 d=1x1 g=1 nchw float32"));
    }

    [Test]
    public void GemmAndFullyConnectedSignatures()
    {
        Assert.That(Operator.Gemm(2, 3, 4, transposeB: true, batch: 5).Signature, Is.EqualTo("gemm b=5 m=2 n=3 k=4 ta=0 tb=1 float64"));
        Assert.That(Operator.FullyConnected(8, 512, 1000).Signature, Is.EqualTo("fc b=8 in=512 out=1000 float64"));
    }

    [Test]
    public void SameDescriptionGivesTheSameSignature()
    {
        static OperatorSpec Build() => Operator.Conv2d(2, 8, 16, 12, 10, new Size2(3, 1), padding: Padding2.Symmetric(1, 0), groups: 2);
        var first = Build().Signature;
        var second = Build().Signature;
        Assert.That(second, Is.EqualTo(first));
    }

    private static IEnumerable<OperatorSpec> Variants()
    {
        yield return Operator.Conv2d(1, 8, 8, 12, 12, 3, padding: 1);
        yield return Operator.Conv2d(2, 8, 8, 12, 12, 3, padding: 1);
        yield return Operator.Conv2d(1, 4, 8, 12, 12, 3, padding: 1);
        yield return Operator.Conv2d(1, 8, 4, 12, 12, 3, padding: 1);
        yield return Operator.Conv2d(1, 8, 8, 11, 12, 3, padding: 1);
        yield return Operator.Conv2d(1, 8, 8, 12, 11, 3, padding: 1);
        yield return Operator.Conv2d(1, 8, 8, 12, 12, new Size2(3, 1), padding: Padding2.Symmetric(1, 0));
        yield return Operator.Conv2d(1, 8, 8, 12, 12, 3, stride: 2, padding: 1);
        yield return Operator.Conv2d(1, 8, 8, 12, 12, 3, padding: new Padding2(1, 0, 1, 1));
        yield return Operator.Conv2d(1, 8, 8, 12, 12, 3, padding: 1, dilation: 2);
        yield return Operator.Conv2d(1, 8, 8, 12, 12, 3, padding: 1, groups: 2);
        yield return Operator.Conv2d(1, 8, 8, 12, 12, 3, padding: 1, layout: ConvLayout.Nhwc);
        yield return Operator.Conv2d(1, 8, 8, 12, 12, 3, padding: 1, elementType: ElementType.Float32);
        yield return Operator.Gemm(8, 8, 8);
        yield return Operator.Gemm(8, 8, 8, transposeA: true);
        yield return Operator.Gemm(8, 8, 8, transposeB: true);
        yield return Operator.Gemm(8, 8, 8, batch: 2);
        yield return Operator.Gemm(8, 8, 9);
        yield return Operator.FullyConnected(8, 8, 8);
        yield return Operator.FullyConnected(8, 8, 9);
        yield return Operator.Define(Operator.Gemm(8, 8, 8).Expression);
        yield return Operator.Define(Operator.Gemm(8, 8, 8, transposeA: true).Expression);
        yield return Operator.Define(Operator.Gemm(8, 8, 8).Expression, ElementType.Float32);
    }

    [Test]
    public void AnyDifferenceChangesTheSignature()
    {
        var signatures = Variants().Select(s => s.Signature).ToArray();
        Assert.That(signatures, Is.Unique);
    }

    [Test]
    public void CustomSignatureSpellsOutTheContraction()
    {
        var signature = Operator.Define(Operator.Conv2d(1, 2, 2, 5, 5, 3, padding: 1).Expression).Signature;
        Assert.That(signature, Does.StartWith("custom conv2d "));
        Assert.That(signature, Does.Contain("input[n][ci][oh + kh - 1][ow + kw - 1]").And.Contain("input[1][2][5][5]").And.EndWith("float64"));
    }
}
