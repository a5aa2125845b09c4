namespace Swatop.Core.Onnx;

/// <summary>How <see cref="OnnxImport"/> reads a model.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>The default limit of a model's size, 1 GiB (a float ResNet-50 is about 100 MB).</summary>
    public const long DefaultMaxModelBytes = 1L << 30;

    /// <summary>
    /// The batch size: when set, it replaces the first dimension of every graph input (symbolic or not);
    /// when null, a graph input's first dimension must be a number.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>The largest model, in bytes, the importer reads; a larger one is refused before it is parsed (<see cref="OnnxDiagnostics.ModelTooLarge"/>).</summary>
    public long MaxModelBytes { get; init; } = DefaultMaxModelBytes;
}
