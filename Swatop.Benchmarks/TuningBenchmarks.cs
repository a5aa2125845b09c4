using BenchmarkDotNet.Attributes;
using Swatop.Core;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Benchmarks;

/// <summary>
/// Model-guided tuning of one ResNet-50 layer at batch 128 (res4's 3 x 3 convolution, 256 -> 256
/// channels on 14 x 14, the largest of the stage-4 spaces), and how fast a cancelled tuning stops:
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*TuningBenchmarks*'</c>.
/// Targets: tuning under 5 s; cancellation stopping within 100 ms (<see cref="CancelAfterRanking200Ms"/>
/// minus its 200 ms of ranking).
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class TuningBenchmarks
{
    private static readonly OperatorSpec Layer = Operator.Conv2d(128, 256, 256, 14, 14, 3, padding: 1);

    /// <summary>Ranks the layer's whole space with the cost model and measures the best 8 on the emulator.</summary>
    [Benchmark]
    public double ModelGuidedTuning() => Layer.Tune(Sw26010Target.Default, new TuningOptions()).MeasuredSeconds;

    /// <summary>Starts tuning, cancels it after 200 ms of ranking, and waits until it has stopped.</summary>
    [Benchmark]
    public bool CancelAfterRanking200Ms()
    {
        using var cancellation = new CancellationTokenSource();
        var tuning = Task.Run(() => Layer.Tune(Sw26010Target.Default, new TuningOptions { Cancellation = cancellation.Token }));
        Thread.Sleep(200);
        cancellation.Cancel();
        try
        {
            tuning.GetAwaiter().GetResult();
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
