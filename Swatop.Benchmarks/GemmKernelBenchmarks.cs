using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The host GEMM micro-kernel on LDM-sized blocks against this machine's FMA peak, measured in
/// the same process: <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*GemmKernel*'</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every benchmark does the same fixed work per invocation, <see cref="FlopsPerInvocation"/> =
/// 2 x 64^3 = 524,288 flops: the GEMMs compute C (64 x 64) += A (64 x 64) * B (64 x 64) with
/// lda = ldb = ldc = 64; the peak loops run <see cref="Accumulators"/> independent
/// <see cref="Vector512{T}"/> FMA chains for as many steps as give the same flop count (2 flops
/// per lane per FMA). The <see cref="GflopsColumn"/> turns the median time into GFLOPS and into a
/// percentage of the peak loop of the same element type.
/// </para>
/// <para>
/// The job is <see cref="InProcessShortConfig"/>: in process, so the kernels and the peak loops
/// share one process, one JIT and one machine state, and short.
/// </para>
/// </remarks>
[Config(typeof(Config))]
public class GemmKernelBenchmarks
{
    /// <summary>The block edge: 64 x 64 x 64, the size of an LDM-resident block.</summary>
    public const int Size = 64;

    /// <summary>Flops every benchmark performs per invocation: 2 * 64^3.</summary>
    public const long FlopsPerInvocation = 2L * Size * Size * Size;

    /// <summary>Independent FMA chains of the peak loops, enough to cover the FMA latency on both pipes.</summary>
    public const int Accumulators = 16;

    /// <summary>Steps of the double peak loop: 16 chains x 2048 steps x 8 lanes x 2 = 524,288 flops.</summary>
    public const int DoublePeakSteps = (int)(FlopsPerInvocation / (2L * Accumulators * 8));

    /// <summary>Steps of the float peak loop: 16 chains x 1024 steps x 16 lanes x 2 = 524,288 flops.</summary>
    public const int FloatPeakSteps = (int)(FlopsPerInvocation / (2L * Accumulators * 16));

    private double[] _a = [];
    private double[] _b = [];
    private double[] _c = [];
    private float[] _af = [];
    private float[] _bf = [];
    private float[] _cf = [];
    private double[] _scratch = [];

    /// <summary>Fills the operands with seeded values in [-1, 1).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2026);
        _a = Values(random);
        _b = Values(random);
        _c = Values(random);
        _af = Array.ConvertAll(Values(random), x => (float)x);
        _bf = Array.ConvertAll(Values(random), x => (float)x);
        _cf = Array.ConvertAll(Values(random), x => (float)x);
        _scratch = new double[GemmKernel.FloatInDoubleScratchLength(Size, Size, Size)];

        static double[] Values(Random random)
        {
            var values = new double[Size * Size];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (random.NextDouble() * 2) - 1;
            }

            return values;
        }
    }

    /// <summary>The double FMA peak: 16 independent <see cref="Vector512{T}"/> FMA chains.</summary>
    /// <returns>A sum of the chains, so the loop is not dead code.</returns>
    [Benchmark(Description = "FmaPeakDouble")]
    [BenchmarkCategory("Double")]
    public double FmaPeakDouble() => PeakLoops.Double(DoublePeakSteps);

    /// <summary>The float FMA peak: 16 independent <see cref="Vector512{T}"/> FMA chains.</summary>
    /// <returns>A sum of the chains, so the loop is not dead code.</returns>
    [Benchmark(Description = "FmaPeakFloat")]
    [BenchmarkCategory("Float")]
    public float FmaPeakFloat() => PeakLoops.Single(FloatPeakSteps);

    /// <summary>C += A * B, 64^3, double.</summary>
    [Benchmark(Description = "GemmDouble64")]
    [BenchmarkCategory("Double")]
    public void GemmDouble64() => GemmKernel.MultiplyAdd(Size, Size, Size, _a, Size, _b, Size, _c, Size);

    /// <summary>C += A * B, 64^3, float computed in float.</summary>
    [Benchmark(Description = "GemmFloat64")]
    [BenchmarkCategory("Float")]
    public void GemmFloat64() => GemmKernel.MultiplyAdd(Size, Size, Size, _af, Size, _bf, Size, _cf, Size);

    /// <summary>C += A * B, 64^3, float operands computed in double (the SW26010's float behaviour).</summary>
    [Benchmark(Description = "GemmFloatInDouble64")]
    [BenchmarkCategory("Double")]
    public void GemmFloatInDouble64() =>
        GemmKernel.MultiplyAddFloatInDouble(Size, Size, Size, _af, Size, _bf, Size, _cf, Size, _scratch);

    /// <summary>A short in-process job with the GFLOPS column.</summary>
    private sealed class Config : InProcessShortConfig
    {
        public Config()
            : base(new GflopsColumn(FlopsPerInvocation, new Dictionary<string, string>
            {
                ["GemmDouble64"] = "FmaPeakDouble",
                ["GemmFloatInDouble64"] = "FmaPeakDouble",
                ["GemmFloat64"] = "FmaPeakFloat",
            }))
        {
        }
    }
}

/// <summary>Vector512 FMA loops with enough independent chains to saturate the FMA pipes.</summary>
internal static class PeakLoops
{
    /// <summary>Runs 16 chains of <paramref name="steps"/> FMAs on 8 doubles each.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Double(int steps)
    {
        Vector512<double> x = Vector512.Create(0.999), y = Vector512.Create(0.001);
        Vector512<double> a0 = Vector512.Create(0.10), a1 = Vector512.Create(0.11), a2 = Vector512.Create(0.12), a3 = Vector512.Create(0.13);
        Vector512<double> a4 = Vector512.Create(0.14), a5 = Vector512.Create(0.15), a6 = Vector512.Create(0.16), a7 = Vector512.Create(0.17);
        Vector512<double> a8 = Vector512.Create(0.18), a9 = Vector512.Create(0.19), a10 = Vector512.Create(0.20), a11 = Vector512.Create(0.21);
        Vector512<double> a12 = Vector512.Create(0.22), a13 = Vector512.Create(0.23), a14 = Vector512.Create(0.24), a15 = Vector512.Create(0.25);
        for (int s = 0; s < steps; s++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
            a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
            a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
        }

        Vector512<double> sum = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11) + (a12 + a13) + (a14 + a15);
        return Vector512.Sum(sum);
    }

    /// <summary>Runs 16 chains of <paramref name="steps"/> FMAs on 16 floats each.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Single(int steps)
    {
        Vector512<float> x = Vector512.Create(0.999f), y = Vector512.Create(0.001f);
        Vector512<float> a0 = Vector512.Create(0.10f), a1 = Vector512.Create(0.11f), a2 = Vector512.Create(0.12f), a3 = Vector512.Create(0.13f);
        Vector512<float> a4 = Vector512.Create(0.14f), a5 = Vector512.Create(0.15f), a6 = Vector512.Create(0.16f), a7 = Vector512.Create(0.17f);
        Vector512<float> a8 = Vector512.Create(0.18f), a9 = Vector512.Create(0.19f), a10 = Vector512.Create(0.20f), a11 = Vector512.Create(0.21f);
        Vector512<float> a12 = Vector512.Create(0.22f), a13 = Vector512.Create(0.23f), a14 = Vector512.Create(0.24f), a15 = Vector512.Create(0.25f);
        for (int s = 0; s < steps; s++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
            a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
            a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
        }

        Vector512<float> sum = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11) + (a12 + a13) + (a14 + a15);
        return Vector512.Sum(sum);
    }
}
