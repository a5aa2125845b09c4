using System.Collections.Immutable;
using System.Globalization;
using Onnx;
using Swatop.Core.Graphs;
using Swatop.Primitives;

namespace Swatop.Core.Onnx;

/// <summary>
/// Imports one parsed model: checks the graph's order and names, reads the initializers, declares the
/// inputs, maps each live node to graph nodes through a <see cref="GraphBuilder"/>, and builds the graph.
/// Each ONNX tensor a node computes becomes the value of the last graph node made for it, named after the
/// tensor; helper nodes (a convolution before its bias) get the tensor's name with a suffix. Used once.
/// </summary>
internal sealed partial class OnnxGraphImporter
{
    /// <summary>The operators the importer runs, for the message that refuses another.</summary>
    private const string Supported =
        "Conv, Gemm, MatMul, Relu, Clip, BatchNormalization, Add, MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape, Concat, Softmax, Identity, Dropout and Constant";

    /// <summary>The suffixes the builder gives a node's constants, kept free beside every name given out.</summary>
    private static readonly string[] ConstantSuffixes = [".weights", ".bias", ".scale"];

    private readonly ModelProto _model;
    private readonly OnnxImportOptions _options;
    private readonly Dictionary<string, GraphValue> _activations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxConstant> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _readers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphOutputs = new(StringComparer.Ordinal);
    private readonly HashSet<NodeProto> _folded = [];
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private GraphBuilder _builder = null!;
    private int _opset;

    public OnnxGraphImporter(ModelProto model, OnnxImportOptions options)
    {
        _model = model;
        _options = options;
    }

    public OnnxModel Import()
    {
        var graph = _model.Graph
            ?? throw new OnnxImportException(OnnxDiagnostics.NoGraph, "the model has no graph: an ONNX model holds one GraphProto.", null);
        _opset = Opset();
        var order = OnnxGraphOrder.Order(graph, _opset);
        foreach (var initializer in graph.Initializer)
        {
            _constants[initializer.Name] = OnnxConstant.Read(initializer, $"initializer '{initializer.Name}'");
        }

        foreach (var node in order)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!_readers.TryGetValue(input, out var list))
                {
                    _readers[input] = list = [];
                }

                list.Add(node);
            }

            _reserved.UnionWith(node.Output.Where(o => o.Length > 0));
        }

        _graphOutputs.UnionWith(graph.Output.Select(o => o.Name));
        var inputs = graph.Input.Where(i => !_constants.ContainsKey(i.Name) && (_readers.ContainsKey(i.Name) || _graphOutputs.Contains(i.Name))).ToList();
        _reserved.UnionWith(inputs.Select(i => i.Name));
        CheckInitializerShapes(graph);
        _builder = new GraphBuilder(GraphName(graph.Name), ElementTypeOf(inputs));
        var inputBindings = ImmutableArray.CreateBuilder<OnnxBinding>();
        foreach (var input in inputs)
        {
            var shape = OnnxShapes.Input(input, _options.BatchSize);
            var value = _builder.Input(Fresh(input.Name, own: true), shape.AsSpan());
            _activations[input.Name] = value;
            inputBindings.Add(new OnnxBinding(input.Name, value));
        }

        foreach (var proto in order)
        {
            if (!_folded.Contains(proto))
            {
                var node = new OnnxNode(proto, _opset);
                if (node.Domain is not ("" or "ai.onnx"))
                {
                    throw node.Error(OnnxDiagnostics.UnsupportedOperator, $"is of domain '{node.Domain}': only the default ONNX domain's operators run ({Supported}).");
                }

                try
                {
                    Import(node);
                }
                catch (GraphException e)
                {
                    throw node.Error(OnnxDiagnostics.InvalidGraph, $"cannot be built: {e.Message}", e);
                }
            }
        }

        var outputBindings = ImmutableArray.CreateBuilder<OnnxBinding>();
        foreach (var output in graph.Output)
        {
            if (!_activations.TryGetValue(output.Name, out var value))
            {
                throw new OnnxImportException(
                    OnnxDiagnostics.UnsupportedUse,
                    $"graph output '{output.Name}' is a constant: the graph computes its outputs from its inputs (constant folding is not done).",
                    null);
            }

            CheckDeclared(output, value);
            Graph(() => _builder.Output(value), $"graph output '{output.Name}'");
            outputBindings.Add(new OnnxBinding(output.Name, value));
        }

        var built = Graph(_builder.Build, $"graph '{_builder.Name}'");
        var constants = built.Constants.ToImmutableDictionary(c => c.Name, c => ImmutableArray.Create(_values[c.Name]), StringComparer.Ordinal);
        return new OnnxModel(built, constants, inputBindings.ToImmutable(), outputBindings.ToImmutable(), _opset);
    }

    /// <summary>Maps one node to graph nodes.</summary>
    private void Import(OnnxNode node)
    {
        switch (node.OpType)
        {
            case "Conv":
                Conv(node);
                break;
            case "BatchNormalization":
                BatchNormalization(node);
                break;
            case "Gemm":
                Gemm(node);
                break;
            case "MatMul":
                MatMul(node);
                break;
            case "Relu":
                Relu(node);
                break;
            case "Clip":
                Clip(node);
                break;
            case "Add":
                Add(node);
                break;
            case "MaxPool":
                MaxPool(node);
                break;
            case "AveragePool":
                AveragePool(node);
                break;
            case "GlobalAveragePool":
                GlobalAveragePool(node);
                break;
            case "Flatten":
                Flatten(node);
                break;
            case "Reshape":
                Reshape(node);
                break;
            case "Concat":
                Concat(node);
                break;
            case "Softmax":
                Softmax(node);
                break;
            case "Identity":
            case "Dropout":
                PassThrough(node);
                break;
            case "Constant":
                ConstantNode(node);
                break;
            default:
                throw node.Error(OnnxDiagnostics.UnsupportedOperator, $"is an operator the importer cannot run: it runs {Supported}.");
        }
    }

    /// <summary>The version of the default domain's operator set, checked to lie in 11 to 21.</summary>
    private int Opset()
    {
        var imports = _model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToList();
        if (imports.Count == 0)
        {
            throw new OnnxImportException(OnnxDiagnostics.NoGraph, "the model imports no default ONNX operator set (opset_import has no entry of domain \"\").", null);
        }

        var version = imports.Max(o => o.Version);
        if (version is < 11 or > 21)
        {
            throw new OnnxImportException(
                OnnxDiagnostics.UnsupportedOpset,
                string.Create(CultureInfo.InvariantCulture, $"the model imports opset {version} of the default domain: opsets 11 to 21 are supported (convert it with onnx.version_converter)."),
                null);
        }

        return (int)version;
    }

    /// <summary>Refuses an initializer whose declaration as a graph input or in value_info has another shape.</summary>
    private void CheckInitializerShapes(GraphProto graph)
    {
        foreach (var info in graph.Input.Concat(graph.ValueInfo))
        {
            if (_constants.TryGetValue(info.Name, out var constant) && OnnxShapes.Declared(info) is { } declared)
            {
                var fits = declared.Length == constant.Shape.Length;
                for (var d = 0; fits && d < declared.Length; d++)
                {
                    fits = declared[d] is not { } v || v == constant.Shape[d];
                }

                if (!fits)
                {
                    throw new OnnxImportException(
                        OnnxDiagnostics.ShapeMismatch,
                        $"'{info.Name}' is declared [{string.Join(", ", declared.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "?"))}] but its initializer is {constant.ShapeText}: a declaration and its data agree.",
                        null);
                }
            }
        }
    }

    /// <summary>Refuses a graph output whose declared static shape is not the computed one (the batch not compared when it is overridden).</summary>
    private void CheckDeclared(ValueInfoProto output, GraphValue value)
    {
        if (OnnxShapes.Declared(output) is not { } declared || declared.Length == 0)
        {
            return;
        }

        var fits = declared.Length == value.Rank;
        for (var d = 0; fits && d < declared.Length; d++)
        {
            fits = declared[d] is not { } v || (d == 0 && _options.BatchSize is not null) || v == value.Shape[d];
        }

        if (!fits)
        {
            throw new OnnxImportException(
                OnnxDiagnostics.ShapeMismatch,
                $"graph output '{output.Name}' is declared [{string.Join(", ", declared.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "?"))}] but computes {value.ShapeText}.",
                null);
        }
    }

    /// <summary>The graph's element type: the inputs' (float32 or float64, all the same).</summary>
    private static ElementType ElementTypeOf(List<ValueInfoProto> inputs)
    {
        ElementType? type = null;
        foreach (var input in inputs)
        {
            var elem = input.Type?.TensorType?.ElemType ?? 0;
            ElementType here = (TensorProto.Types.DataType)elem switch
            {
                TensorProto.Types.DataType.Float => ElementType.Float32,
                TensorProto.Types.DataType.Double => ElementType.Float64,
                var other => throw new OnnxImportException(
                    OnnxDiagnostics.UnsupportedElementType,
                    $"graph input '{input.Name}' is of element type {other} ({elem}): only FLOAT and DOUBLE models are imported.",
                    null),
            };
            if (type is { } t && t != here)
            {
                throw new OnnxImportException(
                    OnnxDiagnostics.UnsupportedElementType,
                    $"graph input '{input.Name}' is {here} but an earlier input is {t}: a graph has one element type.",
                    null);
            }

            type = here;
        }

        return type ?? ElementType.Float32;
    }

    /// <summary>The activation input <paramref name="index"/> of <paramref name="node"/>.</summary>
    private GraphValue Activation(OnnxNode node, int index, string role)
    {
        var name = node.RequiredInput(index, role);
        if (_activations.TryGetValue(name, out var value))
        {
            return value;
        }

        throw node.Error(
            OnnxDiagnostics.UnsupportedUse,
            string.Create(CultureInfo.InvariantCulture, $"reads input {index} ({role}) '{name}' as a constant: {node.OpType} runs on an activation there (constant folding is not done)."));
    }

    /// <summary>The constant input <paramref name="index"/> of <paramref name="node"/>, or null when it is absent and <paramref name="optional"/>.</summary>
    private OnnxConstant? Constant(OnnxNode node, int index, string role, bool optional = false)
    {
        var name = optional ? node.Input(index) : node.RequiredInput(index, role);
        if (name is null)
        {
            return null;
        }

        if (_constants.TryGetValue(name, out var constant))
        {
            return constant;
        }

        throw node.Error(
            OnnxDiagnostics.UnsupportedUse,
            string.Create(CultureInfo.InvariantCulture, $"reads input {index} ({role}) '{name}' as an activation: {node.OpType} takes it as a constant (an initializer) here."));
    }

    /// <summary>Whether input <paramref name="index"/> is a constant.</summary>
    private bool IsConstant(OnnxNode node, int index) => node.Input(index) is { } name && _constants.ContainsKey(name);

    /// <summary>Records <paramref name="value"/> as the node's (first) output.</summary>
    private void Define(OnnxNode node, GraphValue value) => _activations[node.Output] = value;

    /// <summary>The name of the graph node that computes the node's output: the output's name when free.</summary>
    private string FinalName(OnnxNode node) => Fresh(node.Output, own: true);

    /// <summary>A name for a helper node of <paramref name="node"/>: its output's name and a suffix.</summary>
    private string HelperName(OnnxNode node, string suffix) => Fresh($"{node.Output}.{suffix}", own: false);

    /// <summary>
    /// A graph name no value has, close to <paramref name="wanted"/>: white space and control characters become
    /// underscores, and a taken name gets <c>~1</c>, <c>~2</c>... A helper name (<paramref name="own"/> false)
    /// also avoids every name a model's activation will want.
    /// </summary>
    private string Fresh(string wanted, bool own)
    {
        var stem = Sanitize(wanted);
        for (var i = 0; ; i++)
        {
            var name = i == 0 ? stem : string.Create(CultureInfo.InvariantCulture, $"{stem}~{i}");
            var free = !_used.Contains(name)
                && ((own && i == 0 && stem == wanted) || !_reserved.Contains(name))
                && ConstantSuffixes.All(s => !_used.Contains(name + s) && !_reserved.Contains(name + s));
            if (free)
            {
                _used.Add(name);
                _used.UnionWith(ConstantSuffixes.Select(s => name + s));
                return name;
            }
        }
    }

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsWhiteSpace(c) || char.IsControl(c) ? '_' : c).ToArray();
        return chars.Length == 0 ? "value" : new string(chars);
    }

    private static string GraphName(string name) => name.Length == 0 ? "onnx" : Sanitize(name);

    /// <summary>Runs a builder step that is not a node's, wrapping its refusal.</summary>
    private static T Graph<T>(Func<T> build, string what)
    {
        try
        {
            return build();
        }
        catch (GraphException e)
        {
            throw new OnnxImportException(OnnxDiagnostics.InvalidGraph, $"{what} cannot be built: {e.Message}", e);
        }
    }

    /// <summary>Stores the values of the builder's constant <paramref name="constant"/>.</summary>
    private void Store(GraphValue constant, double[] values)
    {
        if (constant.ElementLength != values.Length)
        {
            throw new InvalidOperationException($"Constant '{constant.Name}' {constant.ShapeText} was given {values.Length} values.");
        }

        _values[constant.Name] = values;
    }

    /// <summary>The only live node that reads <paramref name="tensor"/>, when exactly one does and the tensor is not a graph output.</summary>
    private NodeProto? SoleReader(string tensor) =>
        !_graphOutputs.Contains(tensor) && _readers.TryGetValue(tensor, out var readers) && readers.Count == 1 ? readers[0] : null;
}
