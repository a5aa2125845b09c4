using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Primitives;

namespace Swatop.Core.Graphs;

/// <summary>
/// Evaluates an <see cref="OperatorGraph"/> on the host, exactly and layer by layer, in execution
/// order: the reference the graph's runs are checked against. Operators follow
/// <see cref="ReferenceEvaluator"/> (each output element summed in double and rounded once);
/// max pooling and sums are exact; a global average pooling sums in double and rounds once; a
/// flattening copies. Tensors are in the framework's layouts (NCHW activations, OIHW and
/// <c>[out][in]</c> weights), one per graph input and per constant, by name;
/// <see cref="GraphReferenceOperands.Draw{T}(OperatorGraph, int)"/> draws them from a seed. Single-threaded scalar loops,
/// meant for small graphs: a whole ResNet-50 at batch one takes about two and a half minutes.
/// </summary>
public static class GraphReference
{
    /// <summary>The parameter name of the tensors given by name.</summary>
    private const string TensorsParameter = "tensors";

    /// <summary>Evaluates the graph and returns every value: the given inputs and constants, and each node's output.</summary>
    /// <typeparam name="T"><see cref="float"/> for a <see cref="ElementType.Float32"/> graph, <see cref="double"/> for <see cref="ElementType.Float64"/>.</typeparam>
    /// <param name="graph">The graph.</param>
    /// <param name="tensors">Each input and each constant of the graph by name, in its shape.</param>
    /// <returns>Every value of <see cref="OperatorGraph.Values"/> by name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/>, <paramref name="tensors"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">The element type is not the graph's, or a tensor is missing, not an input or constant of the graph, or of another shape; the message names it.</exception>
    public static IReadOnlyDictionary<string, Tensor<T>> Evaluate<T>(OperatorGraph graph, IReadOnlyDictionary<string, Tensor<T>> tensors)
        where T : unmanaged, INumber<T>
    {
        var values = Run(graph, tensors, keepAll: true);
        return graph.Values.ToDictionary(v => v.Name, v => tensors.TryGetValue(v.Name, out var given) ? given : ToTensor(values[v.Name], v), StringComparer.Ordinal);
    }

    /// <summary>Evaluates the graph and returns its outputs; a value no later node reads is let go as soon as it is read.</summary>
    /// <typeparam name="T"><see cref="float"/> for a <see cref="ElementType.Float32"/> graph, <see cref="double"/> for <see cref="ElementType.Float64"/>.</typeparam>
    /// <param name="graph">The graph.</param>
    /// <param name="tensors">Each input and each constant of the graph by name, in its shape.</param>
    /// <returns>Each value of <see cref="OperatorGraph.Outputs"/> by name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/>, <paramref name="tensors"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">The element type is not the graph's, or a tensor is missing, not an input or constant of the graph, or of another shape; the message names it.</exception>
    public static IReadOnlyDictionary<string, Tensor<T>> EvaluateOutputs<T>(OperatorGraph graph, IReadOnlyDictionary<string, Tensor<T>> tensors)
        where T : unmanaged, INumber<T>
    {
        var values = Run(graph, tensors, keepAll: false);
        return graph.Outputs.ToDictionary(v => v.Name, v => tensors.TryGetValue(v.Name, out var given) ? given : ToTensor(values[v.Name], v), StringComparer.Ordinal);
    }

    /// <summary>The element type of <typeparamref name="T"/>, or null when it is neither float nor double.</summary>
    internal static ElementType? ElementTypeOf<T>() =>
        typeof(T) == typeof(float) ? ElementType.Float32 : typeof(T) == typeof(double) ? ElementType.Float64 : null;

    /// <summary>Refuses <typeparamref name="T"/> unless it is the graph's element type.</summary>
    internal static void CheckElementType<T>(OperatorGraph graph, string parameter)
    {
        var type = ElementTypeOf<T>();
        if (type != graph.ElementType)
        {
            var holds = type?.ToString() ?? typeof(T).Name;
            throw new ArgumentException(
                $"Graph '{graph.Name}' computes {graph.ElementType}; the tensors hold {holds}: build the graph with ElementType.{holds} or use {graph.ElementType} tensors.",
                parameter);
        }
    }

    /// <summary>Evaluates every node; keeps every value, or only those still to be read and the outputs.</summary>
    private static Dictionary<string, T[]> Run<T>(OperatorGraph graph, IReadOnlyDictionary<string, Tensor<T>> tensors, bool keepAll)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tensors);
        CheckElementType<T>(graph, TensorsParameter);
        var reference = new NodeReference<T>();
        foreach (var (name, values) in Given(graph, tensors))
        {
            reference.Values.Add(name, values);
        }

        var lastRead = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Nodes.Length; i++)
        {
            foreach (var input in graph.Nodes[i].Inputs)
            {
                lastRead[input.Name] = i;
            }
        }

        for (var i = 0; i < graph.Nodes.Length; i++)
        {
            var node = graph.Nodes[i];
            reference.Values.Add(node.Name, node.Accept(reference));
            if (!keepAll)
            {
                foreach (var input in node.Inputs.Where(v => lastRead[v.Name] == i && !graph.IsOutput(v)))
                {
                    reference.Values.Remove(input.Name);
                }
            }
        }

        return reference.Values;
    }

    /// <summary>Each input and constant flattened row-major, after checking the names and shapes.</summary>
    internal static IEnumerable<(string Name, T[] Values)> Given<T>(OperatorGraph graph, IReadOnlyDictionary<string, Tensor<T>> tensors)
    {
        var expected = graph.Inputs.Concat(graph.Constants).ToList();
        var unknown = tensors.Keys.Where(name => !expected.Any(v => v.Name == name)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var first = unknown[0];
            var why = graph.Values.Any(v => v.Name == first)
                ? $"'{first}' is computed by node '{first}', not given"
                : $"'{first}' is neither an input nor a constant of the graph";
            throw new ArgumentException(
                $"{TensorsParameter} holds {Names(unknown)}: {why}; the graph takes its inputs {Declared(graph.Inputs)} and its {graph.Constants.Length} constants.",
                TensorsParameter);
        }

        var missing = expected.Where(v => !tensors.ContainsKey(v.Name)).Select(v => v.Name).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{TensorsParameter} has no tensor {Names(missing.Take(5))}{(missing.Count > 5 ? $" (and {missing.Count - 5} more)" : "")}: every input and every constant of graph '{graph.Name}' must be given."),
                TensorsParameter);
        }

        return expected.Select(v => (v.Name, Flatten(tensors[v.Name], v, TensorsParameter)));
    }

    private static T[] Flatten<T>(Tensor<T>? tensor, GraphValue value, string parameter)
    {
        var what = $"{parameter}['{value.Name}']";
        if (tensor is null)
        {
            throw new ArgumentNullException(parameter, $"{what} is null.");
        }

        var lengths = tensor.Lengths;
        var matches = lengths.Length == value.Rank;
        for (var d = 0; matches && d < value.Rank; d++)
        {
            matches = lengths[d] == value.Shape[d];
        }

        if (!matches)
        {
            throw new ArgumentException(
                $"{what} has shape {GraphValue.FormatShape([.. lengths.ToArray().Select(l => (int)l)])}; {value.Kind.ToString().ToLowerInvariant()} '{value.Name}' is {value.ShapeText}.",
                parameter);
        }

        var values = new T[value.ElementLength];
        tensor.FlattenTo(values);
        return values;
    }

    /// <summary>A flat array as a tensor of the value's shape.</summary>
    internal static Tensor<T> ToTensor<T>(T[] values, GraphValue value) =>
        Tensor.Create(values, [.. value.Shape.Select(d => (nint)d)]);

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string Declared(IEnumerable<GraphValue> values) => string.Join(", ", values.Select(v => $"'{v.Name}' {v.ShapeText}"));
}
