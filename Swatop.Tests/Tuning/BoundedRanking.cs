using Swatop.Core;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;

namespace Swatop.Tests.Tuning;

/// <summary>
/// The model-guided search with its cost model's lower bound against the same search ranking every point: the check
/// the tests of a bound share.
/// </summary>
internal static class BoundedRanking
{
    /// <summary>
    /// Searches <paramref name="space"/> with <paramref name="model"/> and with the model without its bound, under each
    /// objective, and asserts that both measure the same candidates in the same order, predict alike, and that the bound
    /// ranks no more points.
    /// </summary>
    /// <returns>The searches that ranked every point, one an objective.</returns>
    public static IReadOnlyList<SearchResult> AssertMeasuresTheCandidatesOfRankingEveryPoint(IScheduleSpace space, ICostModel model)
    {
        var everyPointResults = new List<SearchResult>();
        foreach (var objective in new[] { TuningObjective.EndToEnd, TuningObjective.Kernel })
        {
            var pruned = new RecordingMeasurer();
            var exhaustive = new RecordingMeasurer();
            var withBound = Search(space, model, objective, pruned);
            var everyPoint = Search(space, new WithoutBound(model), objective, exhaustive);
            Assert.That(pruned.Measured, Is.EqualTo(exhaustive.Measured), $"{objective}: the same candidates, in the same order");
            Assert.That(withBound.Predicted, Is.EqualTo(everyPoint.Predicted));
            Assert.That(withBound.Ranked, Is.AtMost(everyPoint.Ranked));
            everyPointResults.Add(everyPoint);
        }

        return everyPointResults;
    }

    /// <summary>The model-guided search of <paramref name="space"/> under <paramref name="objective"/>, measured by a recording measurer.</summary>
    public static SearchResult Search(IScheduleSpace space, ICostModel model, TuningObjective objective) =>
        Search(space, model, objective, new RecordingMeasurer());

    private static SearchResult Search(IScheduleSpace space, ICostModel model, TuningObjective objective, IMeasurer measurer) =>
        new ModelGuidedSearch(model).Search(new SearchContext(space, measurer, 8, new Random(1), null, CancellationToken.None) { Objective = objective });

    /// <summary>The model without its bound: every point is ranked.</summary>
    private sealed class WithoutBound(ICostModel inner) : ICostModel
    {
        public string Name => inner.Name;

        public double Estimate(SchedulePlan plan, TuningObjective objective = TuningObjective.EndToEnd) => inner.Estimate(plan, objective);

        public double EstimateStep(LayoutStep layoutStep) => inner.EstimateStep(layoutStep);
    }

    /// <summary>Records what it is asked to measure; its time is the schedule's text length, so the search's choice is fixed.</summary>
    private sealed class RecordingMeasurer : IMeasurer
    {
        public List<Schedule> Measured { get; } = [];

        public string Name => "recording";

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            Measured.Add(schedule);
            return new Measurement(schedule, schedule.ToJson().Length * 1e-6, null);
        }
    }
}
