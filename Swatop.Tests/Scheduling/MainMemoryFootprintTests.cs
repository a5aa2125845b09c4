using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// A kernel keeps the tensors it packs into layouts of its own in every core group's main memory. The space leaves
/// out the schedules whose tensors would not fit it, so tuning never measures a candidate the emulator cannot
/// allocate; a schedule forced on the kernel still gets the emulator's clear error.
/// </summary>
public sealed class MainMemoryFootprintTests
{
    /// <summary>Input and output of 2 MB each in double: padded or blocked, each takes a little more.</summary>
    private static readonly OperatorSpec Conv = Operator.Conv2d(8, 32, 32, 32, 32, 3, padding: 1);

    private static readonly TargetLimits Unbounded = Sw26010Target.Default.Limits with { MainMemoryBytes = long.MaxValue };

    /// <summary>The plans of the unbounded space, with their footprint under the SW26010's alignment.</summary>
    private static readonly Lazy<List<(SchedulePlan Plan, long Bytes)>> Plans = new(() =>
        [.. ScheduleSpace.For(Conv, Unbounded).EnumeratePlans().Select(plan => (plan, Footprint(plan).CoreGroupBytes))]);

    [Test]
    public void The_SW26010_target_bounds_each_core_groups_memory_by_its_spec()
    {
        var limits = Sw26010Target.Default.Limits;
        Assert.That(limits.MainMemoryBytes, Is.EqualTo(Sw26010Spec.Default.MemoryBytesPerCoreGroup));
        Assert.That(limits.MainMemoryAlignmentBytes, Is.EqualTo(Sw26010Spec.Default.DmaAlignmentBytes));
    }

    [Test]
    public void A_space_with_bounded_memory_holds_exactly_the_points_whose_packed_tensors_fit()
    {
        var sizes = Plans.Value.Select(p => p.Bytes).Distinct().Order().ToList();
        Assert.That(sizes, Has.Count.GreaterThan(2), "the operator's schedules pack different amounts");
        var capacity = sizes[sizes.Count / 2];
        var bounded = ScheduleSpace.For(Conv, Unbounded with { MainMemoryBytes = capacity });
        var expected = Plans.Value.Where(p => p.Bytes <= capacity).Select(p => p.Plan.Schedule.ToJson()).ToList();
        Assert.That(expected, Is.Not.Empty);
        Assert.That(expected, Has.Count.LessThan(Plans.Value.Count));
        Assert.That(bounded.EnumeratePlans().Select(p => p.Schedule.ToJson()), Is.EqualTo(expected));
        Assert.That(bounded.Enumerate().Select(s => s.ToJson()), Is.EqualTo(expected));
        Assert.That(Enumerable.Range(0, 3).SelectMany(part => bounded.EnumeratePlans(part, 3)).Select(p => p.Schedule.ToJson()), Is.EquivalentTo(expected));
        Assert.That(bounded.EnumerateFamilies(2).SelectMany(f => f.Plans()).Select(p => p.Schedule.ToJson()), Is.EquivalentTo(expected));
        Assert.That(Footprint(bounded.Validate(bounded.Default())).CoreGroupBytes, Is.LessThanOrEqualTo(capacity));
        var random = new Random(3);
        for (var draw = 0; draw < 20; draw++)
        {
            var sample = bounded.Sample(random);
            Assert.That(Footprint(bounded.Validate(sample)).CoreGroupBytes, Is.LessThanOrEqualTo(capacity));
            Assert.That(Footprint(bounded.Validate(bounded.Neighbor(sample, random))).CoreGroupBytes, Is.LessThanOrEqualTo(capacity));
        }
    }

    [Test]
    public void A_schedule_too_large_for_a_core_groups_memory_is_refused_by_the_space_naming_the_bytes()
    {
        var (plan, bytes) = Plans.Value.MaxBy(p => p.Bytes);
        var capacity = bytes - 1;
        var error = Assert.Throws<ScheduleException>(() => ScheduleSpace.For(Conv, Unbounded with { MainMemoryBytes = capacity }).Validate(plan.Schedule))!;
        Assert.That(error.Id, Is.EqualTo(ScheduleDiagnostics.MainMemoryOverflow));
        Assert.That(error.Message, Does.Contain($"keeps {bytes} bytes").And.Contain($"holds {capacity} bytes").And.Contain(plan.Schedule.ToString()));
    }

    [Test]
    public void The_footprint_is_what_the_emulator_allocates_and_a_forced_schedule_beyond_it_gets_the_emulators_error()
    {
        // The largest packing schedule, measured on chips whose core groups hold exactly its footprint, and a byte less.
        var (plan, bytes) = Plans.Value.Where(p => p.Bytes >= Sw26010Spec.Default.DmaAlignmentBytes + 1024 * 1024).MaxBy(p => p.Bytes);
        var exact = new Sw26010Target(Sw26010Spec.Default with { MemoryBytesPerCoreGroup = bytes });
        Assert.That(Conv.WithSchedule(plan.Schedule).Emit(exact).Measure().EndToEndSeconds, Is.GreaterThan(0));
        Assert.That(ScheduleSpace.For(Conv, exact.Limits).Validate(plan.Schedule).Schedule, Is.EqualTo(plan.Schedule));

        var short1 = new Sw26010Target(Sw26010Spec.Default with { MemoryBytesPerCoreGroup = bytes - 1 });
        var forced = Assert.Throws<EmulatorException>(() => Conv.WithSchedule(plan.Schedule).Emit(short1).Measure())!;
        Assert.That(forced.Id, Is.EqualTo(EmulatorDiagnostics.MainMemoryExhausted));
        Assert.That(Assert.Throws<ScheduleException>(() => ScheduleSpace.For(Conv, short1.Limits).Validate(plan.Schedule))!.Id, Is.EqualTo(ScheduleDiagnostics.MainMemoryOverflow));
    }

    [Test]
    public void Tuning_on_a_machine_whose_memory_holds_only_some_schedules_measures_only_those()
    {
        var sizes = Plans.Value.Select(p => p.Bytes).Where(b => b >= 1024 * 1024).Distinct().Order().ToList();
        var target = new Sw26010Target(Sw26010Spec.Default with { MemoryBytesPerCoreGroup = sizes[0] });
        var measurer = new RecordingMeasurer(new TargetMeasurer(target));
        var result = Conv.Tune(target, TuningOptions.Default with { Measurer = measurer, Trials = 2 });
        Assert.That(measurer.Schedules, Has.Count.EqualTo(2));
        Assert.That(measurer.Schedules.Select(s => Footprint(ScheduleSpace.For(Conv, Unbounded).Validate(s)).CoreGroupBytes), Is.All.LessThanOrEqualTo(sizes[0]));
        Assert.That(result.Schedule, Is.EqualTo(measurer.Schedules.MinBy(s => measurer.Seconds[s.ToJson()])));
    }

    [Test]
    public void An_operator_whose_tensors_exceed_the_shared_memory_cannot_be_tuned_and_the_error_says_why()
    {
        // 1 MB a core group, 4 MB shared: the input alone is 8 MB.
        var spec = Operator.Conv2d(16, 32, 32, 45, 45, 3, padding: 1);
        var target = new Sw26010Target(Sw26010Spec.Default with { MemoryBytesPerCoreGroup = 1024 * 1024 });
        Assert.That(ScheduleSpace.For(spec, target.Limits).EnumeratePlans(), Is.Empty);
        var error = Assert.Throws<ScheduleException>(() => spec.Tune(target, TuningOptions.Default))!;
        Assert.That(error.Id, Is.EqualTo(ScheduleDiagnostics.MainMemoryOverflow));
        Assert.That(error.Message, Does.Contain("shared memory").And.Contain("4 x 1048576 bytes"));
    }

    private static MainMemoryFootprint Footprint(SchedulePlan plan) => MainMemoryFootprint.Of(plan);

    /// <summary>Measures with another measurer and keeps what it measured.</summary>
    private sealed class RecordingMeasurer(IMeasurer inner) : IMeasurer
    {
        public List<Schedule> Schedules { get; } = [];

        public Dictionary<string, double> Seconds { get; } = new(StringComparer.Ordinal);

        public string Name => inner.Name;

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation)
        {
            var measurement = inner.Measure(spec, schedule, cancellation);
            lock (Schedules)
            {
                Schedules.Add(schedule);
                Seconds[schedule.ToJson()] = measurement.Seconds;
            }

            return measurement;
        }
    }
}
