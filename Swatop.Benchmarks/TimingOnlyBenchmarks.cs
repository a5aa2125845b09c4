using BenchmarkDotNet.Attributes;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Kernels;

namespace Swatop.Benchmarks;

/// <summary>
/// The calibration kernel (swDNN's convolution on the first calibration row: B = 128,
/// Ni = No = 128, 18 x 18, 3 x 3, 4 core groups, one spawn) emulated in full and in timing-only
/// mode, side by side: <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*TimingOnly*'</c>.
/// Target: timing only at least 30 times faster, with the same cycles (a test checks the cycles).
/// </summary>
[InProcess]
[MedianColumn]
public class TimingOnlyBenchmarks
{
    private readonly SwDnnShape _shape = new(128, 128, 128, 18, 18, 3);
    private double[] _input = [];
    private double[] _weights = [];

    /// <summary>Seeded tensors for the full run.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _input = [.. Enumerable.Range(0, (int)_shape.InputLength).Select(_ => random.NextDouble() - 0.5)];
        _weights = [.. Enumerable.Range(0, (int)_shape.WeightLength).Select(_ => random.NextDouble() - 0.5)];
    }

    /// <summary>The full emulation: every product computed, every byte moved.</summary>
    [Benchmark(Baseline = true)]
    public double Full()
    {
        var chip = new Sw26010Chip(Sw26010Spec.Default, EmulatorOptions.Default);
        return new SwDnnConvolution(_shape, 4, chip.Spec).Run(chip, _input, _weights).Profile.ElapsedCycles;
    }

    /// <summary>The clock alone.</summary>
    [Benchmark]
    public double TimingOnly()
    {
        var chip = new Sw26010Chip(Sw26010Spec.Default, EmulatorOptions.Default with { TimingOnly = true });
        return new SwDnnConvolution(_shape, 4, chip.Spec).Measure(chip).Profile.ElapsedCycles;
    }
}
