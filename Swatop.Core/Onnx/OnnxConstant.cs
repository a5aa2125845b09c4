using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using Onnx;

namespace Swatop.Core.Onnx;

/// <summary>
/// A tensor whose values the model gives (an initializer, a <c>Constant</c> node's value): its shape (empty
/// for a scalar) and its elements row-major in double. Read from a <see cref="TensorProto"/> only after its
/// dimensions and the length of its data agree, so a declaration that lies costs no memory.
/// </summary>
internal sealed record OnnxConstant(ImmutableArray<int> Shape, double[] Values)
{
    /// <summary>The number of elements.</summary>
    public int Length => Values.Length;

    /// <summary>The shape as text.</summary>
    public string ShapeText => Graphs.GraphValue.FormatShape(Shape.AsSpan());

    /// <summary>Reads <paramref name="tensor"/>, named <paramref name="what"/> in errors.</summary>
    public static OnnxConstant Read(TensorProto tensor, string what)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            throw Error(what, "keeps its data in an external file: save the model with its weights inside (external data is not read).");
        }

        if (tensor.Segment is not null)
        {
            throw Error(what, "is a segment of a larger tensor: segmented tensors are not read.");
        }

        var shape = OnnxShapes.Dimensions(tensor.Dims, what);
        var count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        var type = (TensorProto.Types.DataType)tensor.DataType;
        var (size, typed) = type switch
        {
            TensorProto.Types.DataType.Float => (4, tensor.FloatData.Count),
            TensorProto.Types.DataType.Double => (8, tensor.DoubleData.Count),
            TensorProto.Types.DataType.Int64 => (8, tensor.Int64Data.Count),
            TensorProto.Types.DataType.Int32 => (4, tensor.Int32Data.Count),
            _ => throw Error(what, $"has data type {type} ({tensor.DataType}): only FLOAT, DOUBLE, INT64 and INT32 tensors are read."),
        };

        var values = new double[count];
        if (tensor.HasRawData)
        {
            var raw = tensor.RawData.Span;
            if (raw.Length != (long)count * size || typed > 0)
            {
                throw Error(what, string.Create(CultureInfo.InvariantCulture, $"has {raw.Length} bytes of raw data{(typed > 0 ? $" and {typed} typed values" : "")}; its shape {GraphValueText(shape)} of {type} needs {(long)count * size} bytes and nothing else."));
            }

            for (var i = 0; i < count; i++)
            {
                var bytes = raw.Slice(i * size, size);
                values[i] = type switch
                {
                    TensorProto.Types.DataType.Float => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                    TensorProto.Types.DataType.Double => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
                    TensorProto.Types.DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                    _ => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                };
            }
        }
        else
        {
            if (typed != count)
            {
                throw Error(what, string.Create(CultureInfo.InvariantCulture, $"has {typed} values; its shape {GraphValueText(shape)} holds {count}."));
            }

            for (var i = 0; i < count; i++)
            {
                values[i] = type switch
                {
                    TensorProto.Types.DataType.Float => tensor.FloatData[i],
                    TensorProto.Types.DataType.Double => tensor.DoubleData[i],
                    TensorProto.Types.DataType.Int64 => tensor.Int64Data[i],
                    _ => tensor.Int32Data[i],
                };
            }
        }

        return new OnnxConstant(shape, values);
    }

    private static string GraphValueText(ImmutableArray<int> shape) => Graphs.GraphValue.FormatShape(shape.AsSpan());

    private static OnnxImportException Error(string what, string rule) =>
        new(OnnxDiagnostics.InvalidTensorData, $"{what} {rule}", null);
}
