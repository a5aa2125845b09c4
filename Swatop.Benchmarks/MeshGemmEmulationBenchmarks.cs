using BenchmarkDotNet.Attributes;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The host throughput of emulating back-to-back mesh GEMMs on one whole core group with
/// LDM-sized blocks (32 x 32 x 32 doubles per CPE, so M = N = K = 256 over the mesh), one core
/// (sequential mode) and two cores (parallel mode), against the FMA peak loop of the same process:
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*MeshGemmEmulation*'</c>.
/// Targets: one core at least 50% of the peak; two cores at least 1.6 times one core.
/// </summary>
[Config(typeof(Config))]
public class MeshGemmEmulationBenchmarks
{
    /// <summary>The whole-mesh GEMM edge: 256, so each CPE holds 32 x 32 blocks.</summary>
    public const int Size = 256;

    /// <summary>Mesh GEMM calls per spawn, back to back.</summary>
    public const int Calls = 8;

    /// <summary>Flops per invocation: 8 calls of 2 * 256^3.</summary>
    public const long FlopsPerInvocation = Calls * 2L * Size * Size * Size;

    private CoreGroup _sequential = null!;
    private CoreGroup _parallel = null!;

    /// <summary>One single-group chip per mode.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var spec = Sw26010Spec.Default with { CoreGroups = 1 };
        _sequential = new Sw26010Chip(spec, EmulatorOptions.Sequential).CoreGroups[0];
        _parallel = new Sw26010Chip(spec, EmulatorOptions.Default with { HostThreads = 2 }).CoreGroups[0];
    }

    /// <summary>The double FMA peak of this process, for the same flops.</summary>
    [Benchmark(Description = "FmaPeakDouble")]
    public double FmaPeakDouble() => PeakLoops.Double((int)(FlopsPerInvocation / (2L * GemmKernelBenchmarks.Accumulators * 8)));

    /// <summary>Eight mesh GEMMs of a core group, emulated on one host core.</summary>
    [Benchmark(Description = "MeshGemmOneCore")]
    public CoreGroupRunReport OneCore() => _sequential.Run(Program);

    /// <summary>Eight mesh GEMMs of a core group, emulated on two host cores.</summary>
    [Benchmark(Description = "MeshGemmTwoCores")]
    public CoreGroupRunReport TwoCores() => _parallel.Run(Program);

    private static async ValueTask Program(ICpe cpe)
    {
        const int block = Size / 8;
        var a = cpe.Ldm.Allocate("a", ElementType.Float64, block * block);
        var b = cpe.Ldm.Allocate("b", ElementType.Float64, block * block);
        var c = cpe.Ldm.Allocate("c", ElementType.Float64, block * block);
        cpe.Fill(a.All, 0.5 + cpe.IdInGroup);
        cpe.Fill(b.All, 0.25);
        cpe.Fill(c.All, 0);
        for (var call = 0; call < Calls; call++)
        {
            await cpe.MeshGemm(Size, Size, Size, a.All, b.All, c.All);
        }
    }

    private sealed class Config : InProcessShortConfig
    {
        public Config()
            : base(new GflopsColumn(FlopsPerInvocation, new Dictionary<string, string>
            {
                ["OneCore"] = "FmaPeakDouble",
                ["TwoCores"] = "FmaPeakDouble",
            }))
        {
        }
    }
}
