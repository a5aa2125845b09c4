using Google.Protobuf;
using Onnx;

namespace Swatop.Core.Onnx;

/// <summary>
/// A copy of an ONNX model that also declares some of the tensors its nodes compute as outputs, so that a runtime
/// that runs only a model's outputs (ONNX Runtime) gives their values: how a network's values are checked node by
/// node against a framework's. The copy holds the same nodes and initializers; its inputs take the batch the
/// import took; the declared outputs leave their shapes open, and the model's own tensor shapes
/// (<c>value_info</c>) are dropped, since a new batch changes them.
/// </summary>
public static class OnnxModelOutputs
{
    /// <summary>The copy of <paramref name="model"/> with each of <paramref name="tensors"/> that one of its nodes computes declared as an output.</summary>
    /// <param name="model">The model's bytes.</param>
    /// <param name="tensors">The tensors to declare, by their names in the model; a name no node computes is passed over, and one already an output stays once.</param>
    /// <param name="options">The batch the inputs take (the model's when null) and the size limit.</param>
    /// <returns>The copy's bytes.</returns>
    /// <exception cref="OnnxImportException">The bytes are not a model, or larger than the options allow.</exception>
    public static byte[] Declare(ReadOnlySpan<byte> model, IEnumerable<string> tensors, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        options ??= new OnnxImportOptions();
        var proto = OnnxImport.Parse(model, options);
        var graph = proto.Graph ?? new GraphProto();
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var elementType = inputs.Select(i => i.Type?.TensorType?.ElemType ?? 0).FirstOrDefault(t => t != 0);
        if (options.BatchSize is { } batch)
        {
            foreach (var dims in inputs.Select(i => i.Type?.TensorType?.Shape?.Dim).OfType<Google.Protobuf.Collections.RepeatedField<TensorShapeProto.Types.Dimension>>().Where(d => d.Count > 0))
            {
                dims[0] = new TensorShapeProto.Types.Dimension { DimValue = batch };
            }
        }

        graph.ValueInfo.Clear();
        foreach (var output in graph.Output)
        {
            output.Type?.TensorType?.Shape?.Dim.Clear();
        }

        var computed = graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0).ToHashSet(StringComparer.Ordinal);
        var declared = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensors.Where(t => computed.Contains(t) && declared.Add(t)))
        {
            graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType } } });
        }

        return proto.ToByteArray();
    }
}
