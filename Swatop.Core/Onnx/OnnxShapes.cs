using System.Collections.Immutable;
using System.Globalization;
using Onnx;

namespace Swatop.Core.Onnx;

/// <summary>The checks of ONNX dimensions: each a number at least zero (one for an activation), their product within <see cref="int.MaxValue"/>.</summary>
internal static class OnnxShapes
{
    /// <summary>The dimensions of a tensor, each at least one (an empty tensor has nothing to run) and their product at most <see cref="int.MaxValue"/>.</summary>
    public static ImmutableArray<int> Dimensions(IReadOnlyList<long> dims, string what)
    {
        var shape = ImmutableArray.CreateBuilder<int>(dims.Count);
        long count = 1;
        for (var d = 0; d < dims.Count; d++)
        {
            var dim = dims[d];
            if (dim < 1)
            {
                throw Invalid(what, dims, string.Create(CultureInfo.InvariantCulture, $"dimension {d} is {dim}: every dimension is at least 1."));
            }

            if (dim > int.MaxValue || count > int.MaxValue / dim)
            {
                throw Invalid(what, dims, string.Create(CultureInfo.InvariantCulture, $"the product of the dimensions exceeds int.MaxValue = {int.MaxValue} elements."));
            }

            count *= dim;
            shape.Add((int)dim);
        }

        return shape.MoveToImmutable();
    }

    /// <summary>
    /// The static shape of a graph input: every dimension a number at least one, the first replaced by
    /// <paramref name="batch"/> when given (and allowed to be symbolic then).
    /// </summary>
    public static ImmutableArray<int> Input(ValueInfoProto input, int? batch)
    {
        var what = $"graph input '{input.Name}'";
        if (input.Type?.TensorType is not { } tensor || tensor.Shape is null)
        {
            throw new OnnxImportException(OnnxDiagnostics.InvalidDimension, $"{what} declares no tensor shape: a graph input needs a static shape (a batch size may be given instead of its first dimension).", null);
        }

        var dims = new long[tensor.Shape.Dim.Count];
        for (var d = 0; d < dims.Length; d++)
        {
            var dim = tensor.Shape.Dim[d];
            if (d == 0 && batch is { } b)
            {
                dims[d] = b;
            }
            else if (dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue)
            {
                dims[d] = dim.DimValue;
            }
            else
            {
                var name = dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? $"'{dim.DimParam}'" : "unknown";
                throw new OnnxImportException(
                    OnnxDiagnostics.InvalidDimension,
                    string.Create(CultureInfo.InvariantCulture, $"{what}: dimension {d} is {name}, not a number: {(d == 0 ? "give OnnxImportOptions.BatchSize for a symbolic batch" : "only the first dimension (the batch) may be symbolic, with OnnxImportOptions.BatchSize")}.")
                    , null);
            }
        }

        if (dims.Length == 0)
        {
            throw new OnnxImportException(OnnxDiagnostics.InvalidDimension, $"{what} is a scalar: a graph input has at least one dimension.", null);
        }

        return Dimensions(dims, what);
    }

    /// <summary>The declared dimensions of <paramref name="info"/>, null where one is not a number; null when it declares no shape.</summary>
    public static long?[]? Declared(ValueInfoProto info)
    {
        if (info.Type?.TensorType?.Shape is not { } shape)
        {
            return null;
        }

        return [.. shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null)];
    }

    private static OnnxImportException Invalid(string what, IReadOnlyList<long> dims, string rule) =>
        new(OnnxDiagnostics.InvalidDimension, $"{what} has dimensions [{string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]: {rule}", null);
}
