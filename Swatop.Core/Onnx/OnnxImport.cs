using Google.Protobuf;

namespace Swatop.Core.Onnx;

/// <summary>
/// Reads an ONNX model (a PyTorch or other framework's export) into an <see cref="OnnxModel"/>: an
/// <see cref="Graphs.OperatorGraph"/>, its constants' values and its inputs and outputs. The model is
/// untrusted input: its size is bounded before it is parsed, the protobuf reader bounds nesting, and every
/// rule it breaks (a corrupt file, an operator the graph cannot run, a cycle, a dangling tensor, a shape that
/// disagrees with its data, an absurd dimension) is an <see cref="OnnxImportException"/> with an
/// <see cref="OnnxDiagnostics"/> identifier; nothing is half-imported.
/// </summary>
/// <remarks>
/// Operators (default domain, opsets 11 to 21): Conv, Gemm, MatMul, Relu, Clip, BatchNormalization (folded
/// into the convolution before it), Add, MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape, Concat,
/// Softmax, and Identity, Dropout and Constant, which compute nothing at inference.
/// </remarks>
public static class OnnxImport
{
    /// <summary>Imports the model in the file at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">The batch size and the size limit; the defaults when null.</param>
    /// <returns>The imported model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="OnnxImportException">The file cannot be read, is not a model, or holds something the importer cannot run; the message says which.</exception>
    public static OnnxModel Load(string path, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Load(stream, options);
        }
        catch (IOException e)
        {
            throw new OnnxImportException(OnnxDiagnostics.UnreadableModel, $"the model file '{path}' cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OnnxImportException(OnnxDiagnostics.UnreadableModel, $"the model file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Imports the model in <paramref name="stream"/>, read to its end.</summary>
    /// <param name="stream">The model's bytes.</param>
    /// <param name="options">The batch size and the size limit; the defaults when null.</param>
    /// <returns>The imported model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="OnnxImportException">The bytes are not a model, or hold something the importer cannot run; the message says which.</exception>
    public static OnnxModel Load(Stream stream, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new OnnxImportOptions();
        using var bytes = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + read > options.MaxModelBytes)
            {
                throw new OnnxImportException(
                    OnnxDiagnostics.ModelTooLarge,
                    FormattableString.Invariant($"the model is larger than MaxModelBytes = {options.MaxModelBytes} bytes: raise OnnxImportOptions.MaxModelBytes to read it."),
                    null);
            }

            bytes.Write(buffer, 0, read);
        }

        return Load(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), options);
    }

    /// <summary>Imports the model in <paramref name="model"/>.</summary>
    /// <param name="model">The model's bytes.</param>
    /// <param name="options">The batch size and the size limit; the defaults when null.</param>
    /// <returns>The imported model.</returns>
    /// <exception cref="OnnxImportException">The bytes are not a model, or hold something the importer cannot run; the message says which.</exception>
    public static OnnxModel Load(ReadOnlySpan<byte> model, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        return new OnnxGraphImporter(Parse(model, options), options).Import();
    }

    /// <summary>The model's protobuf, its size and the options checked first; what <see cref="Load(ReadOnlySpan{byte}, OnnxImportOptions?)"/> imports.</summary>
    internal static global::Onnx.ModelProto Parse(ReadOnlySpan<byte> model, OnnxImportOptions options)
    {
        if (options.BatchSize is < 1)
        {
            throw new OnnxImportException(
                OnnxDiagnostics.InvalidOption,
                FormattableString.Invariant($"BatchSize = {options.BatchSize} is not valid: a batch size is at least 1 (or null to keep the model's)."),
                null);
        }

        if (model.Length > options.MaxModelBytes)
        {
            throw new OnnxImportException(
                OnnxDiagnostics.ModelTooLarge,
                FormattableString.Invariant($"the model has {model.Length} bytes, more than MaxModelBytes = {options.MaxModelBytes}: raise OnnxImportOptions.MaxModelBytes to read it."),
                null);
        }

        try
        {
            return global::Onnx.ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException(
                OnnxDiagnostics.UnreadableModel,
                FormattableString.Invariant($"the {model.Length} bytes are not an ONNX model (truncated or corrupt): {e.Message}"),
                e);
        }
    }
}
