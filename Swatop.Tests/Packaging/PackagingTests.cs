using System.Diagnostics;
using System.Globalization;

namespace Swatop.Tests.Packaging;

/// <summary>
/// The packages as a user meets them: the projects packed into a fresh feed under a version of their
/// own, the <c>swatop</c> tool installed from it into a fresh tool path and run, and a fresh console
/// project that restores <c>Swatop.Hardware.SW26010</c> from it and runs the design card's chain
/// (<c>Operator.Conv2d(...).Tune().Emit()</c>, the sources written, a run on the emulator, its profile).
/// </summary>
/// <remarks>
/// Slow (packing builds the libraries and the tool; the console project restores and builds), so these
/// tests are explicit, in the category <see cref="Category"/>:
/// <c>dotnet test Swatop.sln -c Release --filter TestCategory=Packaging</c>.
/// </remarks>
[Explicit("packs, installs and restores: minutes; run with --filter TestCategory=Packaging")]
[Category(Category)]
[NonParallelizable]
public sealed class PackagingTests
{
    /// <summary>The category of the slow packaging tests.</summary>
    public const string Category = "Packaging";

    /// <summary>The packed projects, the tool last.</summary>
    private static readonly string[] Packed = ["Swatop.Primitives", "Swatop.Core", "Swatop.Hardware.SW26010", "Swatop.Benchmarking", "Swatop.Cli"];

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private string _directory = null!;
    private string _feed = null!;
    private string _version = null!;

    [OneTimeSetUp]
    public void Pack()
    {
        _directory = Directory.CreateTempSubdirectory("swatop-packaging-").FullName;
        _feed = Path.Combine(_directory, "feed");
        // A version no earlier run used, so that nothing comes from the NuGet cache.
        _version = string.Create(CultureInfo.InvariantCulture, $"0.0.1-test.{DateTime.UtcNow:yyyyMMddHHmmss}");
        foreach (var project in Packed)
        {
            Run(RepositoryFiles.PathOf("."), "dotnet", "pack", Path.Combine(project, project + ".csproj"), "-c", "Release", "-o", _feed, $"-p:Version={_version}", "-nologo");
        }
    }

    [OneTimeTearDown]
    public void Clean()
    {
        Directory.Delete(_directory, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "swatop", "swatop.primitives", "swatop.core", "swatop.hardware.sw26010", "swatop.benchmarking" })
        {
            var folder = Path.Combine(cache, id, _version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Test]
    public void The_feed_holds_each_package_with_its_symbols()
    {
        var files = Directory.GetFiles(_feed).Select(Path.GetFileName).ToList();
        foreach (var id in new[] { "swatop", "Swatop.Primitives", "Swatop.Core", "Swatop.Hardware.SW26010", "Swatop.Benchmarking" })
        {
            Assert.That(files, Does.Contain($"{id}.{_version}.nupkg").And.Contain($"{id}.{_version}.snupkg"));
        }
    }

    [Test]
    public void The_tool_installs_from_the_feed_and_answers_help()
    {
        var tools = Path.Combine(_directory, "tools");
        Run(_directory, "dotnet", "tool", "install", "--tool-path", tools, "--add-source", _feed, "--version", _version, "swatop");
        var swatop = Path.Combine(tools, OperatingSystem.IsWindows() ? "swatop.exe" : "swatop");

        var help = Run(_directory, swatop, "--help");
        Assert.That(help, Does.Contain("Usage:").And.Contain("swatop [command] [options]"));
        foreach (var command in new[] { "demo", "calibrate", "run", "check", "tune", "report", "emit" })
        {
            Assert.That(help, Does.Contain($"  {command} "), $"swatop --help lists {command}");
        }

        var tune = Run(_directory, swatop, "tune", "--help");
        Assert.That(tune, Does.Contain("swatop tune [options]").And.Contain("--shapes").And.Contain("--network").And.Contain("--measured").And.Contain("--fresh").And.Contain("--verbose"));

        var (exitCode, _, error) = Start(_directory, swatop, "tune", "--colour", "red");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("'--colour'"));
    }

    [Test]
    public void A_console_project_restores_the_library_from_the_feed_and_runs_the_design_cards_chain()
    {
        var project = Path.Combine(_directory, "consumer");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="swatop-feed" value="{_feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Swatop.Hardware.SW26010" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using System.Numerics.Tensors;
            using Swatop.Core;
            using Swatop.Hardware.Sw26010.Target;
            using Swatop.Primitives;

            var kernel = Operator.Conv2d(batch: 2, inChannels: 16, outChannels: 16, height: 8, width: 8, kernel: 3, padding: 1,
                                         elementType: ElementType.Float32)
                                 .Tune()      // model-guided search, measured on the emulator
                                 .Emit();     // athread C + an emulator-executable kernel
            var files = kernel.Sources.WriteTo(args[0]);
            var input = Tensor.Create(Enumerable.Range(0, 2 * 16 * 8 * 8).Select(i => (float)(i % 7)).ToArray(), [2, 16, 8, 8]);
            var weights = Tensor.Create(Enumerable.Range(0, 16 * 16 * 3 * 3).Select(i => (float)(i % 5)).ToArray(), [16, 16, 3, 3]);
            var run = kernel.Run(input, weights);
            Console.WriteLine($"files {string.Join(",", files.Select(Path.GetFileName))}");
            Console.WriteLine($"output {string.Join("x", run.Output.Lengths.ToArray())} {run.Output[0, 0, 0, 0]}");
            Console.WriteLine(run.Profile);
            """);
        var sources = Path.Combine(_directory, "conv");
        var output = Run(project, "dotnet", "run", "-c", "Release", "--", sources);
        Assert.That(output, Does.Contain("files ").And.Contain("slave.c").And.Contain("host.c").And.Contain("Makefile"));
        Assert.That(output, Does.Contain("output 2x16x8x8"));
        Assert.That(output, Does.Contain("GFLOPS"));
        Assert.That(File.Exists(Path.Combine(sources, "slave.c")));
    }

    /// <summary>Runs a command in <paramref name="folder"/> and returns its standard output; fails the test, with both streams, when it exits other than 0.</summary>
    private static string Run(string folder, string program, params string[] arguments)
    {
        var (exitCode, output, error) = Start(folder, program, arguments);
        Assert.That(exitCode, Is.Zero, $"{program} {string.Join(' ', arguments)} in {folder}:\n{output}\n{error}");
        return output;
    }

    private static (int ExitCode, string Output, string Error) Start(string folder, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The tests' own build settings are not the user's.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} took more than {Timeout}.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
