using System.Text.RegularExpressions;
using Onnx;
using Swatop.Cli.Commands;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Tests.Onnx;

/// <summary>
/// The models checked in under <c>data/models/</c> (<see cref="CheckedInModels"/>): each file is exactly what its writer
/// writes today, so it cannot rot silently; the folder and the READMEs name only those; and each runs through
/// <c>swatop check --onnx</c>, tuned and run on the emulated chip and compared node by node with ONNX Runtime.
/// </summary>
public sealed class CheckedInModelTests
{
    /// <summary>The category of the test that rewrites the files, run only when asked for.</summary>
    public const string Category = "CheckedInModels";

    /// <summary>The command that rewrites the files, as the failures and the folder's README give it.</summary>
    public const string RewriteCommand = "dotnet test Swatop.Tests -c Release --filter TestCategory=" + Category;

    /// <summary>A checked-in model may be at most this large, to keep the repository small.</summary>
    private const long MaxBytes = 256 * 1024;

    private static IEnumerable<string> Files => CheckedInModels.All.Select(m => m.File);

    [TestCaseSource(nameof(Files))]
    public void A_checked_in_model_is_exactly_what_its_writer_writes_today(string file)
    {
        var model = CheckedInModels.Named(file);
        var path = RepositoryFiles.PathOf(model.RelativePath);
        Assert.That(File.Exists(path), $"{model.RelativePath} is missing; write it with `{RewriteCommand}`.");
        var stored = File.ReadAllBytes(path);
        var written = model.Bytes();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                Difference(ModelProto.Parser.ParseFrom(stored), ModelProto.Parser.ParseFrom(written)),
                Is.Empty,
                $"{model.RelativePath} is not the model its writer writes today; if the change is intended, rewrite it with `{RewriteCommand}` and review the diff.");
            Assert.That(stored, Is.EqualTo(written), $"{model.RelativePath} does not hold the bytes its writer writes today; rewrite it with `{RewriteCommand}`.");
            Assert.That(stored, Has.Length.LessThanOrEqualTo(MaxBytes), $"{model.RelativePath} is over {MaxBytes} bytes: a checked-in model stays small.");
        }
    }

    [Test]
    public void The_models_folder_holds_the_catalogued_models_only_and_the_READMEs_name_no_other()
    {
        var folder = RepositoryFiles.PathOf(CheckedInModels.Folder);
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        var named = Regex.Matches(File.ReadAllText(RepositoryFiles.PathOf("README.md")) + readme, @"data/models/([\w.-]+\.onnx)")
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.GetFiles(folder, "*.onnx").Select(Path.GetFileName), Is.EquivalentTo(Files), $"every .onnx file of {CheckedInModels.Folder} comes from a writer of CheckedInModels");
            Assert.That(named, Is.Not.Empty.And.SubsetOf(Files), "the READMEs' commands name checked-in models only");
            Assert.That(Files, Has.All.Matches<string>(f => readme.Contains($"`{f}`", StringComparison.Ordinal)), $"{CheckedInModels.Folder}/README.md describes every model");
            Assert.That(readme, Does.Contain(RewriteCommand), $"{CheckedInModels.Folder}/README.md gives the command that rewrites the models");
        }
    }

    [TestCaseSource(nameof(Files))]
    public void A_checked_in_model_passes_swatop_check_against_ONNX_Runtime_node_by_node(string file)
    {
        var path = RepositoryFiles.PathOf(CheckedInModels.Named(file).RelativePath);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CheckCommand.Run(["--onnx", path], output, error);
        var table = CsvTable.Read(new StringReader(output.ToString()));
        var nodes = Network.FromOnnx(path).Graph.Nodes;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output + error.ToString());
            Assert.That(table.Records.Select(r => r.Fields[0]), Is.EqualTo(nodes.Select(n => n.Name).Append("network")));
            Assert.That(table.Records.Select(r => r.Fields[2]), Is.All.EqualTo("ok"), "every node compared with ONNX Runtime and within the bound");
        }
    }

    [Test]
    [Explicit("rewrites the files under data/models; run with --filter TestCategory=CheckedInModels")]
    [Category(Category)]
    public void The_checked_in_models_are_rewritten_from_their_writers()
    {
        foreach (var model in CheckedInModels.All)
        {
            var path = RepositoryFiles.PathOf(model.RelativePath);
            File.WriteAllBytes(path, model.Bytes());
            TestContext.Out.WriteLine($"wrote {path} ({new FileInfo(path).Length} bytes): {model.Description}");
        }

        Assert.That(CheckedInModels.All.Select(m => File.ReadAllBytes(RepositoryFiles.PathOf(m.RelativePath))), Is.EqualTo(CheckedInModels.All.Select(m => m.Bytes())));
    }

    /// <summary>Where <paramref name="stored"/> differs from <paramref name="written"/>: the parts that differ, or nothing.</summary>
    private static List<string> Difference(ModelProto stored, ModelProto written)
    {
        var parts = new List<string>();
        if (stored.IrVersion != written.IrVersion || !stored.OpsetImport.Equals(written.OpsetImport) || stored.ProducerName != written.ProducerName)
        {
            parts.Add("the model's header (IR version, opsets, producer)");
        }

        var (s, w) = (stored.Graph, written.Graph);
        if (!s.Input.Equals(w.Input) || !s.Output.Equals(w.Output))
        {
            parts.Add("the graph's inputs or outputs");
        }

        parts.AddRange(s.Node.Zip(w.Node).Where(p => !p.First.Equals(p.Second)).Select(p => $"node '{p.First.Name}' ({p.First.OpType})"));
        parts.AddRange(s.Initializer.Zip(w.Initializer).Where(p => !p.First.Equals(p.Second)).Select(p => $"initializer '{p.First.Name}'"));
        if (s.Node.Count != w.Node.Count || s.Initializer.Count != w.Initializer.Count)
        {
            parts.Add($"{s.Node.Count} nodes and {s.Initializer.Count} initializers stored, {w.Node.Count} and {w.Initializer.Count} written");
        }

        if (parts.Count == 0 && !stored.Equals(written))
        {
            parts.Add("another field of the model");
        }

        return parts;
    }
}
