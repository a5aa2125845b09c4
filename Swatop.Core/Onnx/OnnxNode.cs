using System.Collections.Immutable;
using System.Globalization;
using Onnx;

namespace Swatop.Core.Onnx;

/// <summary>
/// A node of the model as the importer reads it: its name (its first output's when it has none), op
/// type, the model's opset, its inputs and outputs, and typed access to its attributes. Every failure
/// names the node, its op type and the opset.
/// </summary>
internal sealed class OnnxNode
{
    private readonly NodeProto _proto;

    public OnnxNode(NodeProto proto, int opset)
    {
        _proto = proto;
        Opset = opset;
        Name = proto.Name.Length > 0 ? proto.Name : proto.Output.FirstOrDefault(o => o.Length > 0) ?? $"#{proto.OpType}";
    }

    /// <summary>The node's name, or its first output's.</summary>
    public string Name { get; }

    /// <summary>The operator.</summary>
    public string OpType => _proto.OpType;

    /// <summary>The operator's domain, empty for the default one.</summary>
    public string Domain => _proto.Domain;

    /// <summary>The default domain's opset version.</summary>
    public int Opset { get; }

    /// <summary>The input tensor names; an empty name is an absent optional input.</summary>
    public IReadOnlyList<string> Inputs => _proto.Input;

    /// <summary>The output tensor names; an empty name is an absent optional output.</summary>
    public IReadOnlyList<string> Outputs => _proto.Output;

    /// <summary>The node as the messages name it: <c>node 'conv1' (Conv, opset 13)</c>.</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"node '{Name}' ({OpType}, opset {Opset})");

    /// <summary>The name of input <paramref name="index"/>, or null when it is absent.</summary>
    public string? Input(int index) => index < _proto.Input.Count && _proto.Input[index].Length > 0 ? _proto.Input[index] : null;

    /// <summary>The name of input <paramref name="index"/>, which must be present.</summary>
    public string RequiredInput(int index, string role) =>
        Input(index) ?? throw Error(OnnxDiagnostics.MissingInput, string.Create(CultureInfo.InvariantCulture, $"input {index} ({role}) is missing: {OpType} needs it."));

    /// <summary>The first output's name.</summary>
    public string Output => _proto.Output.Count > 0 && _proto.Output[0].Length > 0
        ? _proto.Output[0]
        : throw Error(OnnxDiagnostics.MissingInput, "has no output name: a node computes a named tensor.");

    /// <summary>Refuses an attribute not in <paramref name="known"/>: an attribute the importer does not know could change the meaning.</summary>
    public void Known(params string[] known)
    {
        foreach (var attribute in _proto.Attribute)
        {
            if (!known.Contains(attribute.Name, StringComparer.Ordinal))
            {
                throw Error(
                    OnnxDiagnostics.UnsupportedUse,
                    $"has attribute '{attribute.Name}', which {OpType} does not take here{(known.Length == 0 ? "" : $"; it takes {string.Join(", ", known)}")}.");
            }
        }
    }

    /// <summary>Refuses a second (or later) output that is named: those outputs (training statistics, indices, masks) are not computed.</summary>
    public void SingleOutput()
    {
        for (var i = 1; i < _proto.Output.Count; i++)
        {
            if (_proto.Output[i].Length > 0)
            {
                throw Error(OnnxDiagnostics.UnsupportedUse, string.Create(CultureInfo.InvariantCulture, $"names output {i}, '{_proto.Output[i]}': only the first output of {OpType} is computed."));
            }
        }
    }

    /// <summary>An integer attribute, or <paramref name="fallback"/> when absent.</summary>
    public long Int(string name, long fallback) =>
        Find(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/> when absent.</summary>
    public float Float(string name, float fallback) =>
        Find(name, AttributeProto.Types.AttributeType.Float) is { } a ? a.F : fallback;

    /// <summary>A string attribute, or <paramref name="fallback"/> when absent.</summary>
    public string String(string name, string fallback) =>
        Find(name, AttributeProto.Types.AttributeType.String) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>An integer list attribute, or null when absent.</summary>
    public ImmutableArray<long>? Ints(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Ints) is { } a ? [.. a.Ints] : null;

    /// <summary>A float list attribute, or null when absent.</summary>
    public ImmutableArray<float>? Floats(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Floats) is { } a ? [.. a.Floats] : null;

    /// <summary>A tensor attribute, or null when absent.</summary>
    public TensorProto? Tensor(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Tensor)?.T;

    /// <summary>The names of the attributes the node has.</summary>
    public IEnumerable<string> AttributeNames => _proto.Attribute.Select(a => a.Name);

    /// <summary>An import failure about this node.</summary>
    public OnnxImportException Error(string id, string rule, Exception? inner = null) => new(id, $"{Text} {rule}", inner);

    private AttributeProto? Find(string name, AttributeProto.Types.AttributeType type)
    {
        AttributeProto? found = null;
        foreach (var attribute in _proto.Attribute)
        {
            if (attribute.Name == name)
            {
                if (found is not null)
                {
                    throw Error(OnnxDiagnostics.InvalidAttribute, $"has attribute '{name}' twice: an attribute is given once.");
                }

                found = attribute;
            }
        }

        if (found is not null && found.Type != type && found.Type != AttributeProto.Types.AttributeType.Undefined)
        {
            throw Error(OnnxDiagnostics.InvalidAttribute, $"has attribute '{name}' of type {found.Type}: {OpType}'s '{name}' is of type {type}.");
        }

        return found;
    }
}
