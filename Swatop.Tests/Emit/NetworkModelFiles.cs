using Swatop.Core.Graphs;
using Swatop.Primitives;
using Swatop.Tests.Onnx;

namespace Swatop.Tests.Emit;

/// <summary>
/// Writes ONNX models to files for the command line (<c>swatop emit --onnx</c>, <c>swatop tune --onnx</c>): ResNet-50 as
/// torchvision exports it (<see cref="OnnxNetworkWriter"/>, random weights, batch 1, 102.5 MB) and the small residual
/// network of the emitted-network tests, into the folder <c>SWATOP_MODEL_FOLDER</c> names (the temporary folder by default).
/// </summary>
public sealed class NetworkModelFiles
{
    /// <summary>The category of the model writers, run only when asked for.</summary>
    public const string Category = "NetworkModelFiles";

    /// <summary>The environment variable naming the folder the models are written to.</summary>
    public const string FolderVariable = "SWATOP_MODEL_FOLDER";

    [Test]
    [Explicit("writes a 100 MB model; run with --filter TestCategory=NetworkModelFiles")]
    [Category(Category)]
    public void ResNet_50_and_the_small_residual_network_are_written_as_ONNX_files()
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } given ? given : Path.GetTempPath();
        Directory.CreateDirectory(folder);
        var resnet = Path.Combine(folder, "resnet50.onnx");
        var small = Path.Combine(folder, "small-residual.onnx");
        File.WriteAllBytes(resnet, OnnxNetworkWriter.Write(Networks.ResNet50(batch: 1, ElementType.Float32)).Bytes());
        File.WriteAllBytes(small, EmittedNetworkModels.SmallResidual().Bytes());
        TestContext.Out.WriteLine($"wrote {resnet} ({new FileInfo(resnet).Length / 1e6:F1} MB) and {small}");
        Assert.That(new FileInfo(resnet).Length, Is.GreaterThan(100_000_000));
    }
}
