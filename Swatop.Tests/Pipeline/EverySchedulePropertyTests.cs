using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Pipeline;

/// <summary>Every point of every space computes the operator: seeded random operators, random schedules, run on seeded operands and checked against the reference (as <c>swatop run</c> checks).</summary>
public sealed class EverySchedulePropertyTests
{
    private const int Pairs = 300;

    [Test]
    public void Random_schedules_of_random_operators_match_the_reference()
    {
        var random = new Random(20261125);
        var target = Sw26010Target.Default;
        var failures = new List<string>();
        for (var i = 0; i < Pairs; i++)
        {
            var spec = RandomOperators.Draw(random);
            var schedule = ImplicitGemmSpace.For(spec, target.Limits).Sample(random);
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
}
