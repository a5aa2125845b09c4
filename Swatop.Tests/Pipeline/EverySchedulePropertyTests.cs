using Swatop.Core.Scheduling;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Pipeline;

/// <summary>Every point of every space computes the operator: seeded random operators (epilogues, depthwise convolutions and 3 x 3 ones in the mesh GEMM's channel quanta among them), random schedules of every algorithm that applies, run on seeded operands and checked against the reference (as <c>swatop run</c> checks).</summary>
public sealed class EverySchedulePropertyTests
{
    private const int Pairs = 400;

    [Test]
    public void Random_schedules_of_random_operators_match_the_reference()
    {
        var random = new Random(20261125);
        var target = Sw26010Target.Default;
        var failures = new List<string>();
        for (var i = 0; i < Pairs; i++)
        {
            var spec = RandomOperators.Draw(random, meshChannels: true);
            var schedule = ScheduleSpace.For(spec, target.Limits).Sample(random);
            try
            {
                var check = OperatorCheck.Run(spec, schedule, target, random.Next());
                if (!check.Comparison.Passed)
                {
                    failures.Add($"{spec.Signature} with {schedule}: {check.Comparison}");
                }
            }
            catch (Exception exception) when (exception is not AssertionException)
            {
                failures.Add($"{spec.Signature} with {schedule}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures.Take(10)));
    }

    [Test]
    public void The_sample_covers_epilogues_depthwise_convolutions_and_every_algorithm()
    {
        var random = new Random(20261125);
        var target = Sw26010Target.Default;
        var pairs = Enumerable.Range(0, Pairs).Select(_ =>
        {
            var spec = RandomOperators.Draw(random, meshChannels: true);
            var schedule = ScheduleSpace.For(spec, target.Limits).Sample(random);
            random.Next(); // the seed of the run, as above
            return (spec, schedule);
        }).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pairs.Count(p => !p.spec.Epilogue.IsEmpty), Is.GreaterThan(Pairs / 8), "epilogues");
            Assert.That(pairs.Count(p => p.spec.Attributes is Conv2dAttributes { Groups: > 2 } c && c.Groups == c.InChannels), Is.GreaterThan(Pairs / 40), "depthwise convolutions");
            Assert.That(pairs.Select(p => p.schedule.Algorithm).Distinct().Order(), Is.EqualTo(ScheduleAlgorithms.All.Select(a => a.Name).Order()), "every algorithm");
        });
    }
}
