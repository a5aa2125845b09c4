using System.Numerics;
using System.Numerics.Tensors;

namespace Swatop.Core.Graphs;

/// <summary>
/// The seeded tensors a graph is checked on: every input and every constant, drawn from one
/// <see cref="Random"/> of the seed, the inputs in declaration order first, then the constants in
/// the order of their nodes, each row-major. Inputs are uniform in [-0.5, 0.5), as
/// <see cref="ReferenceOperands"/> draws an operator's; each constant is uniform in
/// [-sqrt(3 / fanIn), sqrt(3 / fanIn)), where fanIn is its elements per output channel or feature
/// (LeCun's uniform initialization), so that activations keep their magnitude through a deep
/// network. A float graph takes the values rounded to float.
/// </summary>
public static class GraphReferenceOperands
{
    /// <summary>The inputs and constants of <paramref name="graph"/> for <paramref name="seed"/>, by name.</summary>
    /// <typeparam name="T"><see cref="float"/> for a float32 graph, <see cref="double"/> for a float64 one.</typeparam>
    /// <param name="graph">The graph.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>Each input and constant by name, in its shape: what <see cref="GraphReference.Evaluate{T}"/> takes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the graph's element type.</exception>
    public static IReadOnlyDictionary<string, Tensor<T>> Draw<T>(OperatorGraph graph, int seed)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        GraphReference.CheckElementType<T>(graph, nameof(T));
        var random = new Random(seed);
        var tensors = new Dictionary<string, Tensor<T>>(StringComparer.Ordinal);
        foreach (var input in graph.Inputs)
        {
            tensors.Add(input.Name, GraphReference.ToTensor(Uniform<T>(random, input.ElementLength, 0.5), input));
        }

        foreach (var constant in graph.Constants)
        {
            var fanIn = constant.ElementLength / constant.Shape[0];
            tensors.Add(constant.Name, GraphReference.ToTensor(Uniform<T>(random, constant.ElementLength, Math.Sqrt(3.0 / fanIn)), constant));
        }

        return tensors;
    }

    /// <summary>
    /// The inputs of <paramref name="graph"/> drawn for <paramref name="seed"/> (the same values
    /// <see cref="Draw{T}(OperatorGraph, int)"/> draws), with the constants given rather than drawn: an
    /// imported model's weights, say.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> for a float32 graph, <see cref="double"/> for a float64 one.</typeparam>
    /// <param name="graph">The graph.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="constants">Every constant of the graph by name, in its shape, and nothing else.</param>
    /// <returns>Each input and constant by name: what <see cref="GraphReference.Evaluate{T}"/> and a graph run take.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> or <paramref name="constants"/> is null.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the graph's element type, or <paramref name="constants"/> misses a constant of the graph or holds another name; the message names it.</exception>
    public static IReadOnlyDictionary<string, Tensor<T>> Draw<T>(OperatorGraph graph, int seed, IReadOnlyDictionary<string, Tensor<T>> constants)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(constants);
        GraphReference.CheckElementType<T>(graph, nameof(T));
        var missing = graph.Constants.FirstOrDefault(c => !constants.ContainsKey(c.Name));
        if (missing is not null)
        {
            throw new ArgumentException($"{nameof(constants)} has no tensor for constant '{missing.Name}' {missing.ShapeText} of graph '{graph.Name}': every constant must be given.", nameof(constants));
        }

        var unknown = constants.Keys.FirstOrDefault(name => !graph.Constants.Any(c => c.Name == name));
        if (unknown is not null)
        {
            throw new ArgumentException($"{nameof(constants)} holds '{unknown}', which is not a constant of graph '{graph.Name}'.", nameof(constants));
        }

        var random = new Random(seed);
        var tensors = new Dictionary<string, Tensor<T>>(StringComparer.Ordinal);
        foreach (var input in graph.Inputs)
        {
            tensors.Add(input.Name, GraphReference.ToTensor(Uniform<T>(random, input.ElementLength, 0.5), input));
        }

        foreach (var constant in graph.Constants)
        {
            tensors.Add(constant.Name, constants[constant.Name]);
        }

        return tensors;
    }

    /// <summary><paramref name="count"/> values uniform in [-bound, bound): <c>(u - 0.5) * 2 * bound</c>, exactly <c>u - 0.5</c> for a bound of one half.</summary>
    private static T[] Uniform<T>(Random random, long count, double bound)
        where T : INumber<T>
    {
        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateTruncating((random.NextDouble() - 0.5) * (2 * bound));
        }

        return values;
    }
}
