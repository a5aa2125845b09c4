using BenchmarkDotNet.Attributes;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Benchmarks;

/// <summary>
/// Model-guided tuning of one ResNet-50 layer at batch 128 (res4's 3 x 3 convolution, 256 -> 256
/// channels on 14 x 14, the largest of the stage-4 spaces), and how fast a cancelled tuning stops:
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*TuningBenchmarks*'</c>.
/// Targets: the cost model ranking at least 20,000 candidates a second on one core
/// (<see cref="Estimate20000"/>; <see cref="EnumerateAndEstimate20000"/> adds enumerating them);
/// tuning under 5 s; cancellation stopping within 100 ms (<see cref="CancelAfterRanking200Ms"/> and
/// <see cref="CancelAfterMeasuring200Ms"/> minus their 200 ms of work).
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class TuningBenchmarks
{
    private const int Candidates = 20_000;

    private static readonly OperatorSpec Layer = Operator.Conv2d(128, 256, 256, 14, 14, 3, padding: 1);

    private readonly ICostModel _model = Sw26010Target.Default.CostModel!;
    private SchedulePlan[] _plans = [];

    /// <summary>The first 20,000 points of the layer's space.</summary>
    [GlobalSetup]
    public void Setup() => _plans = [.. Layer.Space(Sw26010Target.Default.Limits).EnumeratePlans().Take(Candidates)];

    /// <summary>The cost model alone, on one thread, over 20,000 plans.</summary>
    [Benchmark]
    public double Estimate20000()
    {
        var best = double.MaxValue;
        foreach (var plan in _plans)
        {
            best = Math.Min(best, _model.Estimate(plan));
        }

        return best;
    }

    /// <summary>Enumerating the space's first 20,000 points and estimating each, on one thread.</summary>
    [Benchmark]
    public double EnumerateAndEstimate20000() =>
        Layer.Space(Sw26010Target.Default.Limits).EnumeratePlans().Take(Candidates).Min(plan => _model.Estimate(plan));

    /// <summary>Ranks the layer's whole space with the cost model and measures the best 8 on the emulator.</summary>
    [Benchmark]
    public double ModelGuidedTuning() => Layer.Tune(Sw26010Target.Default, new TuningOptions()).MeasuredSeconds;

    /// <summary>Starts tuning, cancels it after 200 ms of ranking, and waits until it has stopped.</summary>
    [Benchmark]
    public bool CancelAfterRanking200Ms() =>
        StopsWhenCancelled(cancellation => Layer.Tune(Sw26010Target.Default, new TuningOptions { Cancellation = cancellation }));

    /// <summary>Starts measuring the space's first point (its smallest tiles: seconds of emulation), cancels it after 200 ms, and waits until it has stopped.</summary>
    [Benchmark]
    public bool CancelAfterMeasuring200Ms() =>
        StopsWhenCancelled(cancellation => new TargetMeasurer(Sw26010Target.Default).Measure(Layer, _plans[0].Schedule, cancellation));

    private static bool StopsWhenCancelled(Action<CancellationToken> work)
    {
        using var cancellation = new CancellationTokenSource();
        var running = Task.Run(() => work(cancellation.Token));
        Thread.Sleep(200);
        cancellation.Cancel();
        try
        {
            running.GetAwaiter().GetResult();
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
