using Google.Protobuf;
using Onnx;

namespace Swatop.Tests.Onnx;

/// <summary>
/// Writes small ONNX models with ONNX's own protobuf classes, as a framework's exporter would: float
/// inputs and outputs, initializers drawn from a seed (weights uniform in +-sqrt(3 / fan-in), positive
/// values for variances), nodes with attributes, one default-domain opset.
/// </summary>
internal sealed class OnnxModelWriter
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private readonly Random _random;
    private int _nodes;

    public OnnxModelWriter(int opset = 13, int seed = 1)
    {
        Opset = opset;
        _random = new Random(seed);
    }

    public int Opset { get; }

    /// <summary>A float graph input of a static shape.</summary>
    public OnnxModelWriter Input(string name, params long[] shape) => Declare(_graph.Input, name, TensorProto.Types.DataType.Float, shape.Select(d => (long?)d).ToArray());

    /// <summary>A graph input whose first dimension is the symbol <paramref name="batch"/>.</summary>
    public OnnxModelWriter SymbolicInput(string name, string batch, params long[] rest)
    {
        var type = TypeOf(TensorProto.Types.DataType.Float, [null, .. rest.Select(d => (long?)d)]);
        type.TensorType.Shape.Dim[0].DimParam = batch;
        _graph.Input.Add(new ValueInfoProto { Name = name, Type = type });
        return this;
    }

    /// <summary>A graph input of another element type.</summary>
    public OnnxModelWriter TypedInput(string name, TensorProto.Types.DataType type, params long[] shape) =>
        Declare(_graph.Input, name, type, shape.Select(d => (long?)d).ToArray());

    /// <summary>A graph output without a declared shape.</summary>
    public OnnxModelWriter Output(string name)
    {
        _graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        return this;
    }

    /// <summary>A graph output with a declared shape.</summary>
    public OnnxModelWriter Output(string name, params long[] shape) => Declare(_graph.Output, name, TensorProto.Types.DataType.Float, shape.Select(d => (long?)d).ToArray());

    /// <summary>A float initializer of given values.</summary>
    public OnnxModelWriter Initializer(string name, long[] shape, params float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(shape);
        tensor.FloatData.Add(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>A float initializer stored as raw little-endian bytes.</summary>
    public OnnxModelWriter RawInitializer(string name, long[] shape, byte[] raw)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(shape);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>An int64 initializer (a Reshape's shape).</summary>
    public OnnxModelWriter Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Weights uniform in +-sqrt(3 / fan-in), fan-in the elements per first index.</summary>
    public OnnxModelWriter Weights(string name, params long[] shape)
    {
        var count = shape.Aggregate(1L, (p, d) => p * d);
        var bound = Math.Sqrt(3.0 / (count / shape[0]));
        return Initializer(name, shape, [.. Enumerable.Range(0, (int)count).Select(_ => (float)((_random.NextDouble() - 0.5) * 2 * bound))]);
    }

    /// <summary>Values uniform in [low, high).</summary>
    public OnnxModelWriter Uniform(string name, double low, double high, params long[] shape)
    {
        var count = shape.Aggregate(1L, (p, d) => p * d);
        return Initializer(name, shape, [.. Enumerable.Range(0, (int)count).Select(_ => (float)(low + ((high - low) * _random.NextDouble())))]);
    }

    /// <summary>A batch normalization's four constants <c>&lt;prefix&gt;.{scale,bias,mean,var}</c> of <paramref name="channels"/>.</summary>
    public OnnxModelWriter BatchNormConstants(string prefix, long channels) =>
        Uniform($"{prefix}.scale", 0.5, 1.5, channels)
            .Uniform($"{prefix}.bias", -0.5, 0.5, channels)
            .Uniform($"{prefix}.mean", -0.3, 0.3, channels)
            .Uniform($"{prefix}.var", 0.5, 2.0, channels);

    /// <summary>A node of the default domain.</summary>
    public OnnxModelWriter Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodes++}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>A node of the default domain with one input and one output.</summary>
    public OnnxModelWriter Node(string opType, string input, string output, params AttributeProto[] attributes) =>
        Node(opType, [input], [output], attributes);

    /// <summary>The graph so far, to change by hand.</summary>
    public GraphProto Graph => _graph;

    public ModelProto Model()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "swatop-tests", Graph = _graph.Clone() };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    public byte[] Bytes() => Model().ToByteArray();

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private OnnxModelWriter Declare(Google.Protobuf.Collections.RepeatedField<ValueInfoProto> list, string name, TensorProto.Types.DataType type, long?[] shape)
    {
        list.Add(new ValueInfoProto { Name = name, Type = TypeOf(type, shape) });
        return this;
    }

    private static TypeProto TypeOf(TensorProto.Types.DataType type, long?[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var d in shape)
        {
            tensor.Shape.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension());
        }

        return new TypeProto { TensorType = tensor };
    }
}
