using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>Must-fail tests of the tensor-expression language: one per diagnostic id.</summary>
public sealed class ExpressionDiagnosticTests
{
    private static readonly Axis M = Axis.Index("m", 2);
    private static readonly Axis N = Axis.Index("n", 3);
    private static readonly Axis K = Axis.Reduction("k", 4);
    private static readonly TensorDeclaration A = TensorDeclaration.Create("A", 2, 4);
    private static readonly TensorDeclaration B = TensorDeclaration.Create("B", 4, 3);
    private static readonly TensorDeclaration C = TensorDeclaration.Create("C", 2, 3);

    /// <summary>A valid 2 x 3 x 4 matrix product with one part replaced.</summary>
    private static Contraction Gemm(
        Axis[]? index = null, Axis[]? reduction = null, TensorAccess? output = null, TensorAccess? left = null, TensorAccess? right = null) =>
        Contraction.Create("gemm", index ?? [M, N], reduction ?? [K], output ?? C[M, N], left ?? A[M, K], right ?? B[K, N]);

    [Test]
    public void ValidContractionIsAccepted() => Assert.That(Gemm().Flops, Is.EqualTo(48));

    [Test]
    public void NameThatIsNotAnIdentifierIsRejected()
    {
        DescribeMust.Fail(() => Axis.Index("2x", 3), DescribeDiagnostics.InvalidName, "Name", "\"2x\"", "C identifier");
        DescribeMust.Fail(() => TensorDeclaration.Create("in put", 3), DescribeDiagnostics.InvalidName, "Name", "\"in put\"");
        DescribeMust.Fail(
            () => Contraction.Create("my-op", [M, N], [K], C[M, N], A[M, K], B[K, N]), DescribeDiagnostics.InvalidName, "name", "\"my-op\"");
    }

    [Test]
    public void EmptyAxisIsRejected() =>
        DescribeMust.Fail(() => Axis.Index("m", 0), DescribeDiagnostics.AxisExtentTooSmall, "Extent", "Extent = 0", "'m'", "at least 1");

    [Test]
    public void ZeroCoefficientIsRejected() =>
        DescribeMust.Fail(() => _ = new AffineTerm(M, 0), DescribeDiagnostics.ZeroCoefficient, "Coefficient", "Coefficient = 0", "'m'");

    [Test]
    public void EmptyDimensionIsRejected()
    {
        DescribeMust.Fail(() => TensorDeclaration.Create("A", 2, 0), DescribeDiagnostics.InvalidTensorShape, "Shape", "Shape[1] = 0", "'A'");
        DescribeMust.Fail(() => TensorDeclaration.Create("A"), DescribeDiagnostics.InvalidTensorShape, "Shape", "Shape = []");
    }

    [Test]
    public void AccessWithTheWrongNumberOfIndicesIsRejected() =>
        DescribeMust.Fail(() => _ = A[M], DescribeDiagnostics.AccessRankMismatch, "Indices", "Indices.Length = 1", "'A'", "rank 2");

    [Test]
    public void DuplicateAxisNameIsRejected() =>
        DescribeMust.Fail(() => Gemm(index: [M, Axis.Index("m", 3)]), DescribeDiagnostics.DuplicateAxisName, "indexAxes", "'m'", "unique");

    [Test]
    public void UndeclaredAxisIsRejected()
    {
        var q = Axis.Reduction("q", 4);
        DescribeMust.Fail(() => Gemm(left: A[M, q]), DescribeDiagnostics.UndeclaredAxis, "left", "A[m][q]", "'q'");

        // Same name, other extent: not the declared axis.
        DescribeMust.Fail(() => Gemm(right: B[Axis.Reduction("k", 2), N]), DescribeDiagnostics.UndeclaredAxis, "right", "k:2(r)", "k:4(r)");
    }

    [Test]
    public void AxisOfTheWrongKindIsRejected() =>
        DescribeMust.Fail(() => Gemm(index: [M, N, K], reduction: []), DescribeDiagnostics.AxisKindMismatch, "indexAxes", "'k'", "Reduction");

    [Test]
    public void IndexAxisMissingFromTheOutputIsRejected()
    {
        var x = Axis.Index("x", 5);
        DescribeMust.Fail(() => Gemm(index: [M, N, x]), DescribeDiagnostics.IndexAxisMissingFromOutput, "indexAxes", "'x'", "C[m][n]");
    }

    [Test]
    public void OutputReadingAReductionAxisIsRejected() =>
        DescribeMust.Fail(
            () => Gemm(output: TensorDeclaration.Create("C", 2, 6)[M, N + K]), DescribeDiagnostics.OutputReadsReductionAxis, "output", "'k'", "C[m][n + k]");

    [Test]
    public void OutputThatIsNotABijectionIsRejected()
    {
        // Dimension too large for its axis.
        DescribeMust.Fail(
            () => Gemm(output: TensorDeclaration.Create("C", 2, 4)[M, N]), DescribeDiagnostics.OutputNotBijective, "output", "dimension 1", "size 4", "3 values");

        // Gaps: n*2 skips every other element.
        DescribeMust.Fail(
            () => Gemm(output: TensorDeclaration.Create("C", 2, 6)[M, N * 2]), DescribeDiagnostics.OutputNotBijective, "output", "coefficient 2");

        // An offset.
        DescribeMust.Fail(
            () => Gemm(output: TensorDeclaration.Create("C", 2, 4)[M, N + 1]), DescribeDiagnostics.OutputNotBijective, "output", "constant 1");

        // One axis in two dimensions.
        DescribeMust.Fail(
            () => Gemm(output: TensorDeclaration.Create("C", 2, 3, 2)[M, N, M]), DescribeDiagnostics.OutputNotBijective, "output", "'m'", "dimension 0");
    }

    [Test]
    public void OperandWithoutAReductionAxisIsRejected() =>
        DescribeMust.Fail(
            () => Gemm(left: TensorDeclaration.Create("A", 2)[M]), DescribeDiagnostics.OperandIgnoresReduction, "left", "A[m]", "at least one reduction axis");

    [Test]
    public void ReductionAxisReadByNoOperandIsRejected() =>
        DescribeMust.Fail(
            () => Gemm(reduction: [K, Axis.Reduction("q", 2)]), DescribeDiagnostics.UnusedReductionAxis, "reductionAxes", "'q'");
}
