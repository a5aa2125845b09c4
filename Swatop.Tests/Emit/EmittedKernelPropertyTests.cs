using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Pipeline;

namespace Swatop.Tests.Emit;

/// <summary>
/// Seeded random (operator, schedule) pairs, as the emulator's property test draws them: each kernel's
/// emitted C compiles with gcc against the shim without a warning (<c>-Wall -Wextra -Werror</c>), its
/// output matches the reference and the emulator's bit for bit, and every CPE issues the same DMA
/// operations and primitive calls as on the emulator.
/// </summary>
public sealed class EmittedKernelPropertyTests
{
    private const int Pairs = 40;
    private const int Seed = 20261125;

    [Test]
    public void Random_schedules_of_random_operators_emit_C_that_matches_the_reference_and_the_emulator()
    {
        var pairs = Draw(Pairs, Seed);
        var failures = new ConcurrentBag<string>();
        Parallel.ForEach(pairs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, pair =>
        {
            try
            {
                EmittedC.CheckAgainstEmulator(pair.Spec, pair.Schedule, pair.Seed, GccShimOptions.Default);
            }
            catch (Exception exception) when (exception is not AssertionException)
            {
                failures.Add($"{pair.Spec.Signature} with {pair.Schedule}: {exception.GetType().Name}: {exception.Message}");
            }
        });

        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine + Environment.NewLine, failures.Take(5)));
    }

    [Test]
    public void The_sample_covers_every_operator_kind_element_type_convolution_attribute_and_core_group_count()
    {
        var pairs = Draw(Pairs, Seed);
        var specs = pairs.Select(p => p.Spec).ToList();
        var kinds = specs.Select(s => s.Kind).ToHashSet();
        var convolutions = specs.Select(s => s.Attributes).OfType<Conv2dAttributes>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(kinds, Is.SupersetOf(new[] { OperatorKind.Gemm, OperatorKind.FullyConnected, OperatorKind.Conv2d }));
            Assert.That(specs.Select(s => s.Attributes).OfType<GemmAttributes>().Any(g => g.Batch > 1), "batched GEMM");
            Assert.That(convolutions.Any(c => c.Stride.Height > 1 || c.Stride.Width > 1), "stride");
            Assert.That(convolutions.Any(c => c.Padding != default), "padding");
            Assert.That(convolutions.Any(c => c.Dilation.Height > 1 || c.Dilation.Width > 1), "dilation");
            Assert.That(convolutions.Any(c => c.Groups > 1), "groups");
            Assert.That(specs.Select(s => s.ElementType).Distinct().Count(), Is.EqualTo(2), "float and double");
            Assert.That(pairs.Select(p => p.Schedule.CoreGroups).Distinct().Order(), Is.EqualTo(new[] { 1, 2, 3, 4 }), "1 to 4 core groups");
            Assert.That(pairs.Select(p => p.Schedule.BlockedLayouts).Distinct().Count(), Is.EqualTo(2), "plain and blocked layouts");
            Assert.That(pairs.Select(p => p.Schedule.Operand(OperandRole.Output).DoubleBuffer).Distinct().Count(), Is.EqualTo(2), "puts waited for and overlapped");
            Assert.That(pairs.Any(p => p.Schedule.BlockedLayouts && HasBorderTile(p.Spec, p.Schedule)), "blocked layouts with border tiles run whole");
        });
    }

    private static bool HasBorderTile(OperatorSpec spec, ImplicitGemmSchedule schedule)
    {
        var e = spec.Expression;
        return e.Axis(schedule.Mapping.M).Extent % schedule.TileM != 0 || e.Axis(schedule.Mapping.N).Extent % schedule.TileN != 0
            || e.Axis(schedule.Mapping.K).Extent % schedule.TileK != 0;
    }

    /// <summary>
    /// The pairs of one seed: the emulator property test's operators, each with a sampled schedule;
    /// then, since a space splits over one core group or all of the target's, one more pair for 2 and
    /// for 3 core groups: the first drawn operator whose space for a machine of that many splits (and,
    /// should no drawn operator split over all four, one for 4 the same way). Every kernel is compiled
    /// for the default 4-group chip.
    /// </summary>
    internal static IReadOnlyList<(OperatorSpec Spec, ImplicitGemmSchedule Schedule, int Seed)> Draw(int count, int seed)
    {
        var random = new Random(seed);
        var target = Sw26010Target.Default;
        var pairs = new List<(OperatorSpec, ImplicitGemmSchedule, int)>(count + 2);
        for (var i = 0; i < count; i++)
        {
            var spec = RandomOperators.Draw(random);
            pairs.Add((spec, ImplicitGemmSpace.For(spec, target.Limits).Sample(random), random.Next()));
        }

        foreach (var groups in new[] { 2, 3, target.Limits.CoreGroups })
        {
            for (var attempt = 0; attempt < 100 && !pairs.Any(p => p.Item2.CoreGroups == groups); attempt++)
            {
                var spec = RandomOperators.Draw(random);
                var space = ImplicitGemmSpace.For(spec, target.Limits with { CoreGroups = groups });
                for (var sample = 0; sample < 20; sample++)
                {
                    var schedule = space.Sample(random);
                    if (schedule.CoreGroups == groups)
                    {
                        pairs.Add((spec, schedule, random.Next()));
                        break;
                    }
                }
            }
        }

        return pairs;
    }
}
