using Swatop.Benchmarks;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Benchmarking;

/// <summary>
/// The cost model ranks the convolution algorithms as the emulator does on the benchmark layers
/// (<see cref="AlgorithmRanking.Layers"/>): the algorithm it ranks first is the one whose tuned time is least, or within
/// 5% of it. Minutes of tuning at batch 128, so explicit.
/// </summary>
[TestFixture]
[Category(Category)]
[Explicit("tunes ten layers at batch 128 with every algorithm: minutes; run with --filter TestCategory=AlgorithmRanking")]
public sealed class AlgorithmRankingTests
{
    /// <summary>The category that runs these tests.</summary>
    public const string Category = "AlgorithmRanking";

    private static IEnumerable<TestCaseData> Layers() =>
        AlgorithmRanking.Layers.Select(l => new TestCaseData(l.Name).SetArgDisplayNames(l.Name));

    [TestCaseSource(nameof(Layers))]
    public void The_algorithm_the_model_ranks_first_is_within_5_percent_of_the_emulator_s_fastest(string layer)
    {
        var spec = AlgorithmRanking.Layers.Single(l => l.Name == layer).Spec;
        var rows = AlgorithmRanking.Rank(spec, Sw26010Target.Default);
        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(2), "more than one algorithm has a schedule for the layer");
        var (model, emulator) = (AlgorithmRanking.ModelPick(rows), AlgorithmRanking.EmulatorPick(rows));
        Assert.That(model.Tuned / emulator.Tuned, Is.LessThanOrEqualTo(1.05),
            $"the model ranks {model.Algorithm} first ({model.Tuned * 1e3:F3} ms tuned); the emulator's fastest is {emulator.Algorithm} ({emulator.Tuned * 1e3:F3} ms)");
    }
}
