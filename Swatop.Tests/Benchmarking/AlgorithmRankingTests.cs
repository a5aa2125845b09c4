using Swatop.Benchmarks;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Benchmarking;

/// <summary>
/// The cost model ranks the convolution algorithms as the emulator does on the benchmark layers
/// (<see cref="AlgorithmRanking.Layers"/>): the algorithm it ranks first is the one whose tuned time is least, wherever
/// that algorithm leads the others by more than <see cref="Margin"/>. Minutes of tuning at batch 128, so explicit.
/// </summary>
/// <remarks>
/// Simulated times are exact, so the margin is not a measurement's noise but the model's resolution: it prices the
/// overlap of compute and prefetches as a 3-norm, whose median estimate lies 0 to 3% above the measured time on the
/// calibration convolutions (<c>docs/performance.md</c>, "The cost model's overlap exponent"), and a tuned time is the
/// best of the model's best candidates, which such an error reorders. Algorithms whose tuned times lie within 2% of
/// each other are ties to it; either may be ranked first.
/// </remarks>
[TestFixture]
[Category(Category)]
[Explicit("tunes ten layers at batch 128 with every algorithm: minutes; run with --filter TestCategory=AlgorithmRanking")]
public sealed class AlgorithmRankingTests
{
    /// <summary>The category that runs these tests.</summary>
    public const string Category = "AlgorithmRanking";

    private static IEnumerable<TestCaseData> Layers() =>
        AlgorithmRanking.Layers.Select(l => new TestCaseData(l.Name).SetArgDisplayNames(l.Name));

    /// <summary>How much faster than the model's pick the emulator's fastest algorithm may be: 2%.</summary>
    public const double Margin = 0.02;

    [TestCaseSource(nameof(Layers))]
    public void The_algorithm_the_model_ranks_first_is_the_emulator_s_fastest_unless_they_are_within_2_percent(string layer)
    {
        var spec = AlgorithmRanking.Layers.Single(l => l.Name == layer).Spec;
        var rows = AlgorithmRanking.Rank(spec, Sw26010Target.Default);
        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(2), "more than one algorithm has a schedule for the layer");
        var (model, emulator) = (AlgorithmRanking.ModelPick(rows), AlgorithmRanking.EmulatorPick(rows));
        if (model.Algorithm != emulator.Algorithm)
        {
            Assert.That(model.Tuned / emulator.Tuned, Is.LessThanOrEqualTo(1 + Margin),
                $"the model ranks {model.Algorithm} first ({model.Tuned * 1e3:F3} ms tuned); the emulator's fastest is {emulator.Algorithm} ({emulator.Tuned * 1e3:F3} ms), more than {Margin:P0} faster");
        }
    }
}
