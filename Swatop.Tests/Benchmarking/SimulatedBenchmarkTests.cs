using System.Globalization;
using BenchmarkDotNet.Running;
using Swatop.Benchmarking;
using Swatop.Benchmarks;
using Swatop.Core;
using Swatop.Core.Benchmarking;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Benchmarking;

/// <summary>
/// Kernels benchmarked in unit tests, as a framework's tests would: simulated times asserted exactly,
/// schedules compared, and the benchmark column that sets the simulated figures beside the host time.
/// </summary>
public sealed class SimulatedBenchmarkTests
{
    private static readonly OperatorSpec Conv = Operator.Conv2d(batch: 2, inChannels: 32, outChannels: 32, height: 14, width: 14, kernel: 3, padding: 1,
        elementType: ElementType.Float32);

    [Test]
    public void A_simulated_time_is_the_same_every_time_so_a_test_may_assert_it()
    {
        var schedule = Conv.Space(Sw26010Target.Default.Limits).Default();
        var first = Conv.Simulate(schedule, Sw26010Target.Default);
        var second = Conv.Simulate(schedule, Sw26010Target.Default);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(second.EndToEndSeconds, Is.EqualTo(first.EndToEndSeconds), "exactly, not within a tolerance");
        Assert.That(first.EndToEndSeconds, Is.EqualTo(first.KernelSeconds + first.LayoutSeconds));
        Assert.That(first.PeakPercent, Is.GreaterThan(0).And.LessThan(100));
        Assert.That(first.Gflops, Is.EqualTo(Conv.Flops / first.EndToEndSeconds / 1e9).Within(1e-9));
    }

    [Test]
    public void The_tuned_schedule_is_compared_with_the_default_one_by_the_time_tuning_measured()
    {
        var target = Sw26010Target.Default;
        var tuned = Conv.Tune(target, new TuningOptions { Seed = 1 });
        var comparison = Conv.CompareSchedules(target, Conv.Space(target.Limits).Default(), tuned.Schedule);
        Assert.That(comparison.CandidateProfile.EndToEndSeconds, Is.EqualTo(tuned.MeasuredSeconds), "the emulator measured what the comparison simulates");
        Assert.That(comparison.Speedup, Is.EqualTo(comparison.BaselineProfile.EndToEndSeconds / tuned.MeasuredSeconds));
        Assert.That(comparison.ToString(), Does.Contain(Conv.Signature).And.Contain(comparison.Speedup.ToString("F2", CultureInfo.InvariantCulture) + "x"));

        var reversed = Conv.CompareSchedules(target, tuned.Schedule, Conv.Space(target.Limits).Default());
        Assert.That(reversed.Speedup, Is.EqualTo(1 / comparison.Speedup).Within(1e-12));
    }

    [Test]
    public void A_schedule_that_does_not_fit_is_refused_with_its_diagnostic()
    {
        var gemm = Operator.Gemm(3, 4, 5);
        var convolutions = Conv.Space(Sw26010Target.Default.Limits).Default();
        var error = Assert.Throws<Core.Scheduling.ScheduleException>(() => gemm.Simulate(convolutions, Sw26010Target.Default));
        Assert.That(error!.Id, Does.StartWith("SWS"));
    }

    [Test]
    public void The_benchmark_column_shows_each_cases_simulated_figures()
    {
        var cases = BenchmarkConverter.TypeToBenchmarks(typeof(SimulatedKernelBenchmarks)).BenchmarksCases;
        Assert.That(cases, Has.Length.EqualTo(2));
        foreach (var benchmarkCase in cases)
        {
            var channels = (int)benchmarkCase.Parameters["Channels"];
            var size = channels == 128 ? 28 : 14;
            var spec = Operator.Conv2d(batch: 1, inChannels: channels, outChannels: channels, height: size, width: size, kernel: 3, padding: 1, elementType: ElementType.Float32);
            var expected = spec.Simulate(spec.Space(Sw26010Target.Default.Limits).Default(), Sw26010Target.Default);
            Assert.That(SimulatedKernelColumn.Profile(benchmarkCase), Is.EqualTo(expected), $"Channels = {channels}");
            var values = SimulatedKernelColumn.All.Select(c => c.GetValue(null!, benchmarkCase)).ToList();
            Assert.That(values, Is.EqualTo(new[]
            {
                (expected.EndToEndSeconds * 1e3).ToString("F3", CultureInfo.InvariantCulture),
                expected.Gflops.ToString("F1", CultureInfo.InvariantCulture),
                expected.PeakPercent.ToString("F1", CultureInfo.InvariantCulture),
            }));
        }

        var other = BenchmarkConverter.TypeToBenchmarks(typeof(TimingOnlyBenchmarks)).BenchmarksCases[0];
        Assert.That(SimulatedKernelColumn.All[0].GetValue(null!, other), Is.EqualTo("-"), "a class without a simulated kernel");
    }
}
