using System.Collections.Immutable;
using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Core.Graphs;

namespace Swatop.Core.Onnx;

/// <summary>
/// An imported ONNX model: the <see cref="OperatorGraph"/> (its bias, activation and batch-normalization
/// parts as separate nodes, a batch normalization after a convolution folded into it), the values of the
/// graph's constants taken from the model's initializers (transformed where the import transformed them:
/// folded, transposed, scaled), and the model's inputs and outputs bound to graph values. Immutable.
/// </summary>
public sealed class OnnxModel
{
    internal OnnxModel(
        OperatorGraph graph,
        ImmutableDictionary<string, ImmutableArray<double>> constantValues,
        ImmutableArray<OnnxBinding> inputs,
        ImmutableArray<OnnxBinding> outputs,
        int opset)
    {
        Graph = graph;
        ConstantValues = constantValues;
        Inputs = inputs;
        Outputs = outputs;
        Opset = opset;
    }

    /// <summary>The graph.</summary>
    public OperatorGraph Graph { get; }

    /// <summary>The value of every constant of <see cref="Graph"/> by name, row-major in the constant's shape, in double (exact for a float model).</summary>
    public ImmutableDictionary<string, ImmutableArray<double>> ConstantValues { get; }

    /// <summary>The model's graph inputs the graph reads, in the model's order.</summary>
    public ImmutableArray<OnnxBinding> Inputs { get; }

    /// <summary>The model's graph outputs, in the model's order.</summary>
    public ImmutableArray<OnnxBinding> Outputs { get; }

    /// <summary>The version of the default ONNX operator set the model imports.</summary>
    public int Opset { get; }

    /// <summary>The constants as tensors of the graph's element type, by name: what <see cref="GraphReferenceOperands.Draw{T}(OperatorGraph, int, IReadOnlyDictionary{string, Tensor{T}})"/> takes.</summary>
    /// <typeparam name="T"><see cref="float"/> for a float32 graph, <see cref="double"/> for a float64 one.</typeparam>
    /// <returns>Each constant of the graph by name, in its shape.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the graph's element type.</exception>
    public IReadOnlyDictionary<string, Tensor<T>> Constants<T>()
        where T : unmanaged, INumber<T>
    {
        if (GraphReference.ElementTypeOf<T>() != Graph.ElementType)
        {
            throw new ArgumentException($"Model graph '{Graph.Name}' computes {Graph.ElementType}; T is {typeof(T).Name}.", nameof(T));
        }

        return Graph.Constants.ToDictionary(
            c => c.Name,
            c => GraphReference.ToTensor([.. ConstantValues[c.Name].Select(T.CreateTruncating)], c),
            StringComparer.Ordinal);
    }

    /// <summary>The graph's inputs drawn from <paramref name="seed"/> and its constants from the model: everything a reference evaluation or a graph run takes.</summary>
    /// <typeparam name="T"><see cref="float"/> for a float32 graph, <see cref="double"/> for a float64 one.</typeparam>
    /// <param name="seed">The seed of the inputs.</param>
    /// <returns>Each input and constant by name.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the graph's element type.</exception>
    public IReadOnlyDictionary<string, Tensor<T>> Tensors<T>(int seed)
        where T : unmanaged, INumber<T> =>
        GraphReferenceOperands.Draw(Graph, seed, Constants<T>());

    /// <summary>The graph's text with the model's inputs and outputs.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Graph.ToString();
}
