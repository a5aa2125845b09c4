using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// A call that moves data unpacks its output one core group at a time and lets each group's share go once it is read, so
/// that it never holds the output twice over: each group's part lands as the host gathers it, in group order, and the
/// step takes the time of the groups unpacked at once.
/// </summary>
public sealed class UnpackInTurnTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static readonly OperatorSpec Spec = Operator.Conv2d(64, 16, 64, 16, 16, 3, padding: 1, elementType: ElementType.Float32);

    [Test]
    public void Each_groups_share_is_unpacked_in_turn_and_can_be_let_go_before_the_next_is_written()
    {
        var lowered = KernelLowering.Lower(Spec, PackedOutputOnFourGroups(), Target.Limits);
        var placement = lowered.OutputPlacement;
        var step = Sw26010LayoutStep.Compile(Target, LayoutStep.Unpack(placement, ElementType.Float32));
        Assert.That((placement.Layout.IsIdentity, step.Step.CoreGroups, step.RunsOnMpe), Is.EqualTo((false, 4, false)), "an output unpacked on four groups' CPEs");
        var chip = new Sw26010Chip();
        var random = new Random(5);
        var shares = Enumerable.Range(0, 4).Select(_ => Values(placement.Layout.Elements, random)).ToArray();
        var sources = Enumerable.Range(0, 4).Select(g => chip.CoreGroups[g].Memory.Allocate<float>("source", placement.Layout.Elements)).ToArray();
        for (var g = 0; g < 4; g++)
        {
            shares[g].CopyTo(sources[g].AsSpan<float>());
        }

        var destination = chip.SharedMemory.Allocate<float>("destination", placement.Tensor.ElementLength);
        var order = new List<int>();
        var time = step.Run(chip, g => (sources[g], destination), _ => true, g =>
        {
            // What the groups so far wrote, and nothing of the groups still to come.
            var partial = new float[placement.Tensor.ElementLength];
            HostLayoutSteps.Unpack<float>(placement, [.. shares.Select((s, h) => (ReadOnlyMemory<float>)(h <= g ? s : new float[s.Length]))], partial);
            Assert.That(destination.AsSpan<float>().SequenceEqual(partial), Is.True, $"after group {g}'s share, the destination holds the groups' parts so far and nothing else");
            order.Add(g);
            sources[g].Release();
        });

        var expected = new float[placement.Tensor.ElementLength];
        HostLayoutSteps.Unpack<float>(placement, [.. shares.Select(s => (ReadOnlyMemory<float>)s)], expected);
        Assert.Multiple(() =>
        {
            Assert.That(order, Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(destination.AsSpan<float>().SequenceEqual(expected), Is.True, "the output as the host gathers it, bit for bit");
            Assert.That(() => sources[0].AsSpan<float>().ToArray(), Throws.InvalidOperationException, "a share let go is not read again");
            Assert.That(time.Seconds, Is.EqualTo(step.Time.Seconds), "the time of the groups unpacked at once");
        });
    }

    [Test]
    public void A_call_that_unpacks_in_turn_takes_the_unpack_time_a_timing_only_call_measures()
    {
        var kernel = Spec.WithSchedule(PackedOutputOnFourGroups()).Emit(Target);
        var random = new Random(9);
        var input = Tensor.Create(Values(64 * 16 * 16 * 16, random), [64, 16, 16, 16]);
        var weights = Tensor.Create(Values(64 * 16 * 9, random), [64, 16, 3, 3]);
        var run = kernel.Run(input, weights);
        var measured = kernel.Measure();

        var unpacked = run.Profile.Steps.Single(s => s.Name.StartsWith("unpack", StringComparison.Ordinal));
        Assert.That(unpacked.OnMpe, Is.False, "unpacked on the CPEs");
        Assert.Multiple(() =>
        {
            Assert.That(unpacked.Seconds, Is.EqualTo(measured.Steps.Single(s => s.Name == unpacked.Name).Seconds));
            Assert.That(ReferenceComparison.Compare(Spec, [input.ToArray(), weights.ToArray()], run.Output.ToArray()).Passed, Is.True);
        });
    }

    /// <summary>
    /// M walks the columns and images of a block, N the output channels, K the input channels; the core groups split the
    /// images: the output is written in blocks of the kernel's own, split over four core groups, and unpacked.
    /// </summary>
    internal static ImplicitGemmSchedule PackedOutputOnFourGroups() => new()
    {
        Mapping = new GemmMapping("ow_n", "co", "ci"),
        TileM = 128, TileN = 32, TileK = 16,
        IndexOrder = ["n", "oh", "co", "ow_n"],
        ReductionOrder = ["ci", "kh", "kw"],
        MergedAxes = ["ow", "n"],
        CoreGroups = 4, SplitAxis = "n",
    };

    private static float[] Values(long count, Random random) =>
        [.. Enumerable.Range(0, (int)count).Select(_ => (random.Next(1, 1000) * (random.Next(2) == 0 ? -1 : 1)) / 8f)];
}
