using System.Diagnostics.CodeAnalysis;
using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>
/// The builders of operators: each checks its arguments, states the operator as a
/// <see cref="Contraction"/> with fixed axis and tensor names, and returns the
/// <see cref="OperatorSpec"/> the rest of the pipeline consumes. Every invalid argument throws an
/// <see cref="OperatorDescriptionException"/> naming the parameter, its value and the rule.
/// </summary>
[SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Operator is the entry point of the library's fluent description; C# callers are the audience.")]
public static partial class Operator
{
    /// <summary>
    /// A (batched) matrix product <c>C[b][m][n] = sum_k A[b][m][k] * B[b][k][n]</c> in row-major
    /// framework layout. A is stored <c>[b][k][m]</c> when <paramref name="transposeA"/>, B is stored
    /// <c>[b][n][k]</c> when <paramref name="transposeB"/>. With <paramref name="batch"/> = 1 the
    /// tensors have no batch dimension (2-D); with a larger batch they are 3-D. Index axes
    /// <c>b</c> (only when batch &gt; 1), <c>m</c>, <c>n</c>; reduction axis <c>k</c>; tensors
    /// <c>A</c> (left), <c>B</c> (right), <c>C</c> (output).
    /// </summary>
    /// <param name="m">The rows of A and C.</param>
    /// <param name="n">The columns of B and C.</param>
    /// <param name="k">The reduced dimension.</param>
    /// <param name="transposeA">A is stored <c>[b][k][m]</c>.</param>
    /// <param name="transposeB">B is stored <c>[b][n][k]</c>.</param>
    /// <param name="batch">The number of independent products.</param>
    /// <param name="elementType">The element type.</param>
    /// <returns>The operator.</returns>
    public static OperatorSpec Gemm(
        int m, int n, int k, bool transposeA = false, bool transposeB = false, int batch = 1, ElementType elementType = ElementType.Float64)
    {
        DescribeGuard.Defined(elementType, nameof(elementType));
        var attributes = new GemmAttributes(batch, m, n, k, transposeA, transposeB);
        var mAxis = Axis.Index("m", m);
        var nAxis = Axis.Index("n", n);
        var kAxis = Axis.Reduction("k", k);
        var b = batch > 1 ? Axis.Index("b", batch) : null;

        var a = Batched(b, "A", transposeA ? [kAxis, mAxis] : [mAxis, kAxis]);
        var bb = Batched(b, "B", transposeB ? [nAxis, kAxis] : [kAxis, nAxis]);
        var c = Batched(b, "C", [mAxis, nAxis]);
        Axis[] index = b is null ? [mAxis, nAxis] : [b, mAxis, nAxis];
        var expression = Contraction.Create("gemm", index, [kAxis], c, a, bb);
        return new OperatorSpec(OperatorKind.Gemm, expression, elementType, attributes);
    }

    /// <summary>
    /// A fully connected layer without bias, <c>Y[b][o] = sum_i X[b][i] * W[o][i]</c> (the PyTorch
    /// <c>Linear</c> layout). Index axes <c>m</c> (batch rows) and <c>n</c> (output features);
    /// reduction axis <c>k</c> (input features); tensors <c>X</c> <c>[batch][inFeatures]</c> (left),
    /// <c>W</c> <c>[outFeatures][inFeatures]</c> (right), <c>Y</c> <c>[batch][outFeatures]</c> (output).
    /// </summary>
    /// <param name="batch">The rows of X and Y.</param>
    /// <param name="inFeatures">The input features.</param>
    /// <param name="outFeatures">The output features.</param>
    /// <param name="elementType">The element type.</param>
    /// <returns>The operator.</returns>
    public static OperatorSpec FullyConnected(int batch, int inFeatures, int outFeatures, ElementType elementType = ElementType.Float64)
    {
        DescribeGuard.Defined(elementType, nameof(elementType));
        var attributes = new FullyConnectedAttributes(batch, inFeatures, outFeatures);
        var m = Axis.Index("m", batch);
        var n = Axis.Index("n", outFeatures);
        var k = Axis.Reduction("k", inFeatures);
        var x = TensorDeclaration.Create("X", batch, inFeatures);
        var w = TensorDeclaration.Create("W", outFeatures, inFeatures);
        var y = TensorDeclaration.Create("Y", batch, outFeatures);
        var expression = Contraction.Create("fully_connected", [m, n], [k], y[m, n], x[m, k], w[n, k]);
        return new OperatorSpec(OperatorKind.FullyConnected, expression, elementType, attributes);
    }

    /// <summary>An operator defined directly by a contraction, of kind <see cref="OperatorKind.Custom"/>.</summary>
    /// <param name="expression">The contraction, already checked by <see cref="Contraction.Create"/>.</param>
    /// <param name="elementType">The element type.</param>
    /// <returns>The operator.</returns>
    public static OperatorSpec Define(Contraction expression, ElementType elementType = ElementType.Float64)
    {
        ArgumentNullException.ThrowIfNull(expression);
        DescribeGuard.Defined(elementType, nameof(elementType));
        return new OperatorSpec(OperatorKind.Custom, expression, elementType, new CustomAttributes());
    }

    /// <summary>A tensor indexed by the given axes, with the batch axis in front when there is one.</summary>
    private static TensorAccess Batched(Axis? batch, string name, Axis[] axes)
    {
        var all = batch is null ? axes : [batch, .. axes];
        var tensor = new TensorDeclaration(name, [.. all.Select(a => a.Extent)]);
        return new TensorAccess(tensor, [.. all.Select(AffineExpression.Of)]);
    }
}
