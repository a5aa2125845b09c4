namespace Swatop.Tests.Onnx;

/// <summary>
/// A model checked in under <see cref="CheckedInModels.Folder"/>: its file name, what it is, and the writer that makes it.
/// The model's graph is named after the file (without <c>.onnx</c>), the name the commands print.
/// </summary>
/// <param name="File">The file name under <see cref="CheckedInModels.Folder"/>.</param>
/// <param name="Description">What the model holds, in a phrase.</param>
/// <param name="Writer">Makes the model, the same bytes every time.</param>
internal sealed record CheckedInModel(string File, string Description, Func<OnnxModelWriter> Writer)
{
    /// <summary>The model's path under the repository's root.</summary>
    public string RelativePath => $"{CheckedInModels.Folder}/{File}";

    /// <summary>The graph's name: the file's, without <c>.onnx</c>.</summary>
    public string GraphName => Path.GetFileNameWithoutExtension(File);

    /// <summary>The bytes the writer writes today, the graph named <see cref="GraphName"/>.</summary>
    public byte[] Bytes()
    {
        var writer = Writer();
        writer.Graph.Name = GraphName;
        return writer.Bytes();
    }

    /// <inheritdoc/>
    public override string ToString() => File;
}
