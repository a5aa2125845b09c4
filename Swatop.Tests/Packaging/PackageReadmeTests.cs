using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Swatop.Tests.Packaging;

/// <summary>
/// The README inside each library package says what the package is for and shows code that compiles
/// against it and runs: the C# blocks of each README are compiled as one program, with the implicit
/// usings of a new console project, and run.
/// </summary>
public sealed partial class PackageReadmeTests
{
    /// <summary>The library packages, by project folder (the package id).</summary>
    private static readonly string[] Libraries = ["Swatop.Primitives", "Swatop.Core", "Swatop.Hardware.SW26010", "Swatop.Benchmarking"];

    /// <summary>What <c>ImplicitUsings</c> gives a console project.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    private static string Readme(string project) => File.ReadAllText(RepositoryFiles.PathOf(Path.Combine(project, "README.md"))).ReplaceLineEndings("\n");

    [TestCaseSource(nameof(Libraries))]
    public void The_readme_names_the_package_and_what_it_is_for(string project)
    {
        var readme = Readme(project);
        Assert.That(readme, Does.StartWith($"# {project}\n"));
        Assert.That(readme, Does.Contain("SW26010").And.Contain("Swatop"));
        Assert.That(CSharpBlock().Matches(readme), Is.Not.Empty, "a code sample");
    }

    [TestCaseSource(nameof(Libraries))]
    public void The_readme_sample_compiles_against_the_package_and_runs(string project)
    {
        var code = string.Join("\n", CSharpBlock().Matches(Readme(project)).Select(m => m.Groups[1].Value));
        var compilation = CSharpCompilation.Create(
            $"{project}.ReadmeSample",
            [CSharpSyntaxTree.ParseText(ImplicitUsings), CSharpSyntaxTree.ParseText(code, path: $"{project}/README.md")],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.That(errors, Is.Empty, $"{project}/README.md:\n{code}");

        var entry = Assembly.Load(image.ToArray()).EntryPoint!;
        var console = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            entry.Invoke(null, entry.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.That(output.ToString(), Is.Not.Empty);
        TestContext.Out.WriteLine(output.ToString());
    }

    [Test]
    public void The_tool_package_readme_says_how_to_install_and_run_it()
    {
        var readme = Readme("Swatop.Cli");
        Assert.That(readme, Does.StartWith("# swatop\n").And.Contain("dotnet tool install").And.Contain("swatop --help"));
    }

    [Test]
    public void Every_packed_project_carries_its_readme_tags_and_repository()
    {
        var props = File.ReadAllText(RepositoryFiles.PathOf("Directory.Build.props"));
        Assert.That(props, Does.Contain("<PackageReadmeFile>README.md</PackageReadmeFile>").And.Contain("<PackageTags>")
            .And.Contain("<PublishRepositoryUrl>true</PublishRepositoryUrl>").And.Contain("<RepositoryType>git</RepositoryType>").And.Contain("<SymbolPackageFormat>snupkg</SymbolPackageFormat>").And.Contain("<Deterministic>true</Deterministic>"));
        foreach (var project in Libraries.Append("Swatop.Cli"))
        {
            Assert.That(File.Exists(RepositoryFiles.PathOf(Path.Combine(project, "README.md"))), project);
        }
    }

    /// <summary>The framework's assemblies and those of this test's folder: the libraries, as a package reference brings them.</summary>
    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(local)
            .Where(path => IsManaged(path))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            _ = AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
