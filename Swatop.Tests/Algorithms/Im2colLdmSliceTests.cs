using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// The column block in LDM writing its output into a channel slice of a larger NCHW tensor
/// (<see cref="Im2colLdmSchedule.OutputMargins"/>), as a part of a concatenation's joined tensor: on the emulator the slice
/// holds the reference and every other element of the joined tensor is left as it was; through gcc and the shim the
/// emitted C matches the emulator; the price is the one without margins; the margins read back from the JSON; and margins
/// the puts cannot take are refused by name.
/// </summary>
public sealed class Im2colLdmSliceTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>A 3 x 3 stride-1 layer of 24 output channels, written at channel 16 of a joined tensor of 48 (8 after it).</summary>
    private static readonly OperatorSpec Spec = Operator.Conv2d(2, 8, 24, 10, 11, 3, padding: 1);

    private static readonly OutputMargins Slice = new([0, 16, 0, 0], [0, 8, 0, 0]);

    private static Im2colLdmSchedule Fast() => new()
    {
        RowsPerCpe = 2, OutBlock = 32, InBlock = 40, OverlapPuts = true, CopyTaps = true, ChannelRowsPastEdge = true, RowsAcrossImages = true, CoreGroups = 2, SplitAxis = "n",
    };

    private static Im2colLdmPlan Plan(Im2colLdmSchedule schedule) => (Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(Spec, schedule, Target.Limits);

    [Test]
    public void The_output_layout_is_the_joined_tensor_with_the_slice_at_its_channel_offset()
    {
        var layout = Plan(Fast() with { OutputMargins = Slice }).OutputLayout;
        Assert.That(layout.Origins, Is.EqualTo(new long[] { 0, 16, 0, 0 }));
        Assert.That(layout.Lengths, Is.EqualTo(new long[] { 2, 48, 10, 11 }));
        Assert.That(layout.Elements, Is.EqualTo(2 * 48 * 10 * 11));
        Assert.That(Plan(Fast()).OutputLayout.IsIdentity, Is.True, "without margins, the framework's tensor");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void On_the_emulator_the_slice_holds_the_reference_and_the_rest_of_the_joined_tensor_is_untouched(bool fast)
    {
        var schedule = (fast ? Fast() : new Im2colLdmSchedule { RowsPerCpe = 3, OutBlock = 32, InBlock = 72 }) with { OutputMargins = Slice };
        var kernel = (Sw26010Kernel)Spec.WithSchedule(schedule).Emit(Target);
        var chip = new Sw26010Chip(Target.Spec, Target.Options with { TimingOnly = false });
        var e = Spec.Expression;
        var (left, right) = (e.Inputs.First().Tensor, e.Inputs.Last().Tensor);
        var (input, weights) = (SmallIntegers(left.ElementLength, 7), SmallIntegers(right.ElementLength, 5));
        var bound = new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal);
        foreach (var (tensor, values) in new[] { (left.Name, input), (right.Name, weights) })
        {
            bound[tensor] = chip.SharedMemory.Allocate<double>(tensor, values.Length);
            values.CopyTo(bound[tensor].AsSpan<double>());
        }

        const double Untouched = -12345.5;
        var joined = chip.SharedMemory.Allocate<double>("joined", 2 * 48 * 10 * 11);
        joined.AsSpan<double>().Fill(Untouched);
        bound[e.Output.Tensor.Name] = joined;
        foreach (var (name, elements) in kernel.Lowered.Plan.Workspaces)
        {
            bound[name] = chip.SharedMemory.Allocate<double>(name, elements);
        }

        chip.Run(_ => kernel.Program(bound), schedule.CoreGroups);

        var expected = ReferenceEvaluator.Evaluate(e, input, weights);
        var actual = joined.AsSpan<double>().ToArray();
        const int Plane = 10 * 11;
        for (var n = 0; n < 2; n++)
        {
            for (var c = 0; c < 48; c++)
            {
                var at = actual.AsSpan(((n * 48) + c) * Plane, Plane).ToArray();
                if (c is >= 16 and < 40)
                {
                    Assert.That(at, Is.EqualTo(expected.AsSpan(((n * 24) + c - 16) * Plane, Plane).ToArray()), $"image {n}, joined channel {c}: output channel {c - 16}, exact on small integers");
                }
                else
                {
                    Assert.That(at, Is.All.EqualTo(Untouched), $"image {n}, joined channel {c}: another part's, left as it was");
                }
            }
        }
    }

    [Test]
    public void The_emitted_C_of_a_kernel_writing_a_channel_slice_matches_the_reference_and_the_emulator_on_the_shim()
    {
        var check = EmittedC.CheckAgainstEmulator(Spec, Fast() with { OutputMargins = Slice }, seed: 17, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void A_slice_is_priced_as_the_kernel_without_margins_and_the_price_holds_against_the_emulator()
    {
        var model = new Sw26010CostModel(Target.Spec);
        var (plain, sliced) = (Plan(Fast()), Plan(Fast() with { OutputMargins = Slice }));
        Assert.That(model.Estimate(sliced, TuningObjective.Kernel), Is.EqualTo(model.Estimate(plain, TuningObjective.Kernel)), "the same bytes in the same blocks: a channel's rows one run a put");
        ColumnBlockPrice.AssertAsTimed(Spec, Fast() with { OutputMargins = Slice }, 5);
    }

    [Test]
    public void Margins_read_back_from_the_json_and_a_schedule_without_writes_none()
    {
        Schedule sliced = Fast() with { OutputMargins = Slice };
        Assert.That(Schedule.FromJson(sliced.ToJson()), Is.EqualTo(sliced));
        Assert.That(sliced, Is.Not.EqualTo(Fast()));
        Assert.That(sliced.ToJson(), Does.Contain("\"outputMargins\":{\"before\":[0,16,0,0],\"after\":[0,8,0,0]}"));
        Assert.That(Fast().ToJson(), Does.Not.Contain("outputMargins"));
        Assert.That(sliced.ToCSharp(), Does.Contain("OutputMargins = new OutputMargins([0, 16, 0, 0], [0, 8, 0, 0])"));
        Assert.That(sliced.ToString(), Does.EndWith("margins before [0 16 0 0] after [0 8 0 0]"));
    }

    [Test]
    public void Margins_the_puts_cannot_take_are_refused_by_name()
    {
        void Refused(OutputMargins margins, params string[] words)
        {
            var error = Assert.Throws<ScheduleException>(() => Plan(Fast() with { OutputMargins = margins }));
            Assert.That(error!.Id, Is.EqualTo(ScheduleDiagnostics.IllegalMargins));
            Assert.That(error.ParamName, Is.EqualTo(nameof(Im2colLdmSchedule.OutputMargins)));
            foreach (var word in words)
            {
                Assert.That(error.Message, Does.Contain(word));
            }
        }

        Refused(new([0, 0, 0, 1], [0, 0, 0, 1]), "width", "one run");
        Refused(new([1, 0, 0, 0], [0, 0, 0, 0]), "dimension 0", "split over the core groups");
        Refused(new([0, 16], [0, 8]), "4 dimensions");
        Assert.That(Plan(Fast() with { CoreGroups = 1, SplitAxis = null, OutputMargins = new([1, 0, 1, 0], [0, 0, 2, 0]) }).OutputLayout.Lengths,
            Is.EqualTo(new long[] { 3, 24, 13, 11 }), "on one core group, the batch and the rows take margins too");
    }

    private static double[] SmallIntegers(long count, int modulus) => [.. Enumerable.Range(0, (int)count).Select(i => (double)(i % modulus) - (modulus / 2))];
}
