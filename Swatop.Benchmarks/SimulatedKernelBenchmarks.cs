using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Swatop.Benchmarking;
using Swatop.Core;
using Swatop.Core.Benchmarking;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// Convolutions of ResNet-50 at batch 1 run on the emulator under the space's default schedule, the host
/// time of a run beside the kernel's simulated SW26010 time, GFLOPS and share of peak
/// (<see cref="SimulatedKernelColumn"/>): <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*SimulatedKernel*'</c>.
/// </summary>
[Config(typeof(InProcessShortConfig))]
[SimulatedKernelColumns]
public class SimulatedKernelBenchmarks : ISimulatedKernelBenchmark
{
    private ICompiledKernel _kernel = null!;
    private Tensor<float> _input = null!;
    private Tensor<float> _weights = null!;

    /// <summary>Channels in and out of the 3 x 3 convolution (28 x 28 for 128 channels, 14 x 14 for 256).</summary>
    [Params(128, 256)]
    public int Channels { get; set; }

    private OperatorSpec Spec => Operator.Conv2d(batch: 1, inChannels: Channels, outChannels: Channels, height: Channels == 128 ? 28 : 14,
        width: Channels == 128 ? 28 : 14, kernel: 3, padding: 1, elementType: ElementType.Float32);

    /// <summary>The kernel and seeded operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var spec = Spec;
        _kernel = spec.WithSchedule(spec.Space(Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default);
        var random = new Random(1);
        var input = spec.Expression.Left.Tensor;
        var weights = spec.Expression.Right.Tensor;
        _input = Tensor.Create([.. Enumerable.Range(0, (int)input.ElementLength).Select(_ => (float)random.NextDouble())], [.. input.Shape.Select(l => (nint)l)]);
        _weights = Tensor.Create([.. Enumerable.Range(0, (int)weights.ElementLength).Select(_ => (float)random.NextDouble())], [.. weights.Shape.Select(l => (nint)l)]);
    }

    /// <summary>One run on the emulator, exact.</summary>
    [Benchmark]
    public KernelProfile Run() => _kernel.Run(_input, _weights).Profile;

    /// <inheritdoc/>
    public KernelProfile SimulatedProfile()
    {
        var spec = Spec;
        return spec.Simulate(spec.Space(Sw26010Target.Default.Limits).Default(), Sw26010Target.Default);
    }
}
