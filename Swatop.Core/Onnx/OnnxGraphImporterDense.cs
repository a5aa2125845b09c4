using System.Globalization;
using Swatop.Core.Graphs;

namespace Swatop.Core.Onnx;

/// <summary>Matrix products: Gemm and MatMul.</summary>
internal sealed partial class OnnxGraphImporter
{
    /// <summary>
    /// <c>Y = alpha * A' * B' + beta * C</c> (A' = A transposed when transA, B' likewise). With A an
    /// activation and B an initializer: a fully connected layer (<c>W = alpha * B'</c> stored
    /// <c>[N][K]</c>, so B is transposed at import when transB is 0), or with transA a GEMM reading B as a
    /// constant. With both activations: a GEMM (alpha 1). C, when given, is a per-column bias (a scalar,
    /// <c>[N]</c> or <c>[1][N]</c>, times beta) or an activation of Y's shape added (beta 1).
    /// </summary>
    private void Gemm(OnnxNode node)
    {
        node.Known("alpha", "beta", "transA", "transB");
        var alpha = (double)node.Float("alpha", 1f);
        var beta = (double)node.Float("beta", 1f);
        var transA = Flag(node, "transA");
        var transB = Flag(node, "transB");
        var a = Activation(node, 0, "A");
        if (a.Rank != 2)
        {
            throw node.Error(OnnxDiagnostics.ShapeMismatch, $"multiplies A = '{a.Name}' {a.ShapeText}: Gemm's A is a matrix (rank 2).");
        }

        var hasC = node.Input(2) is not null;
        var productName = hasC ? HelperName(node, "gemm") : FinalName(node);
        GraphValue product;
        if (IsConstant(node, 1))
        {
            var b = Constant(node, 1, "B")!;
            var k = transA ? a.Shape[0] : a.Shape[1];
            var (bk, n) = b.Shape.Length == 2 ? (transB ? (b.Shape[1], b.Shape[0]) : (b.Shape[0], b.Shape[1])) : (-1, -1);
            if (b.Shape.Length != 2 || bk != k)
            {
                throw node.Error(
                    OnnxDiagnostics.ShapeMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"multiplies A = '{a.Name}' {a.ShapeText} (transA = {(transA ? 1 : 0)}) by B {b.ShapeText} (transB = {(transB ? 1 : 0)}): B is a matrix whose K, {bk}, is A's, {k}."));
            }

            if (!transA)
            {
                // A fully connected layer: W[n][k] = alpha * B'[k][n].
                var weights = new double[n * k];
                for (var row = 0; row < n; row++)
                {
                    for (var col = 0; col < k; col++)
                    {
                        weights[(row * k) + col] = alpha * (transB ? b.Values[(row * k) + col] : b.Values[(col * n) + row]);
                    }
                }

                product = _builder.FullyConnected(productName, a, n);
                Store(_builder.ValueNamed($"{productName}.weights"), weights);
            }
            else
            {
                var constant = _builder.Constant(HelperName(node, "B"), b.Shape.AsSpan());
                Store(constant, [.. b.Values.Select(v => alpha * v)]);
                product = _builder.Gemm(productName, a, constant, transposeA: true, transposeB: transB);
            }
        }
        else
        {
            var b = Activation(node, 1, "B");
            if (alpha != 1)
            {
                throw node.Error(OnnxDiagnostics.UnsupportedUse, string.Create(CultureInfo.InvariantCulture, $"has alpha = {alpha} with two activations: a product of two activations runs with alpha = 1 only."));
            }

            product = _builder.Gemm(productName, a, b, transA, transB);
        }

        if (hasC)
        {
            Define(node, AddC(node, product, beta));
        }
        else
        {
            Define(node, product);
        }
    }

    /// <summary>Gemm's <c>+ beta * C</c> after <paramref name="product"/>.</summary>
    private GraphValue AddC(OnnxNode node, GraphValue product, double beta)
    {
        var n = product.Shape[1];
        if (!IsConstant(node, 2))
        {
            var c = Activation(node, 2, "C");
            if (beta != 1 || !c.Shape.SequenceEqual(product.Shape))
            {
                throw node.Error(
                    OnnxDiagnostics.UnsupportedUse,
                    string.Create(CultureInfo.InvariantCulture, $"adds C = '{c.Name}' {c.ShapeText} with beta = {beta}: an activation C runs only of Y's shape {product.ShapeText} and with beta = 1."));
            }

            return _builder.Add(FinalName(node), product, c);
        }

        var bias = Constant(node, 2, "C")!;
        var shape = bias.Shape;
        var perColumn = shape.Length switch
        {
            0 => true,
            1 => shape[0] == 1 || shape[0] == n,
            2 => shape[0] == 1 && (shape[1] == 1 || shape[1] == n),
            _ => false,
        };
        if (!perColumn)
        {
            throw node.Error(
                OnnxDiagnostics.UnsupportedUse,
                $"adds C {bias.ShapeText} to Y {product.ShapeText}: a constant C runs as a per-column bias (a scalar, [{n}] or [1, {n}]).");
        }

        var name = FinalName(node);
        var y = _builder.BiasAdd(name, product);
        Store(_builder.ValueNamed($"{name}.bias"), [.. Enumerable.Range(0, n).Select(j => beta * bias.Values[bias.Length == 1 ? 0 : j])]);
        return y;
    }

    /// <summary>
    /// <c>Y = A B</c>. With B an initializer matrix <c>[K][N]</c>: a fully connected layer (W = B transposed),
    /// A of rank 3 or more reshaped to <c>[rows][K]</c> and back. With both activations: a GEMM (matrices, or
    /// batches of the same number of matrices).
    /// </summary>
    private void MatMul(OnnxNode node)
    {
        node.Known();
        var a = Activation(node, 0, "A");
        if (!IsConstant(node, 1))
        {
            var right = Activation(node, 1, "B");
            Define(node, _builder.Gemm(FinalName(node), a, right));
            return;
        }

        var b = Constant(node, 1, "B")!;
        if (b.Shape.Length != 2 || a.Rank < 2 || a.Shape[^1] != b.Shape[0])
        {
            throw node.Error(
                OnnxDiagnostics.ShapeMismatch,
                $"multiplies A = '{a.Name}' {a.ShapeText} by B {b.ShapeText}: a constant B runs as a matrix [K][N] whose K is A's last dimension.");
        }

        var (k, n) = (b.Shape[0], b.Shape[1]);
        var weights = new double[n * k];
        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < k; col++)
            {
                weights[(row * k) + col] = b.Values[(col * n) + row];
            }
        }

        if (a.Rank == 2)
        {
            var name = FinalName(node);
            var y = _builder.FullyConnected(name, a, n);
            Store(_builder.ValueNamed($"{name}.weights"), weights);
            Define(node, y);
            return;
        }

        var rows = (int)(a.ElementLength / k);
        var flat = _builder.Reshape(HelperName(node, "rows"), a, rows, k);
        var fcName = HelperName(node, "fc");
        var product = _builder.FullyConnected(fcName, flat, n);
        Store(_builder.ValueNamed($"{fcName}.weights"), weights);
        Define(node, _builder.Reshape(FinalName(node), product, [.. a.Shape[..^1], n]));
    }

    /// <summary>A 0/1 attribute.</summary>
    private static bool Flag(OnnxNode node, string name) => node.Int(name, 0) switch
    {
        0 => false,
        1 => true,
        var v => throw node.Error(OnnxDiagnostics.InvalidAttribute, string.Create(CultureInfo.InvariantCulture, $"has {name} = {v}: it is 0 or 1.")),
    };
}
