using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Algorithms.WinogradMesh;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Tuning;

/// <summary>
/// A search's candidate of a convolution whose core groups walk alike images is timed on a representative part of
/// its batch: two smaller batches under the same schedule, extrapolated linearly in the count of alike units. Checked
/// against the full timing-only emulation for schedules of every family it applies to; the winner's reported time is
/// a full measurement; and a kernel whose work is not made of alike images is measured in full.
/// </summary>
public sealed class RepresentativePartTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    /// <summary>
    /// How far an extrapolated time may lie from the full emulation's, relative: the fill and drain of the outer loop are in
    /// both parts and cancel, and each alike unit adds the same iterations; what is left is how the emulated CPEs' clocks
    /// and the memory controller's queue drift between units, which the figures in docs/performance.md put below this.
    /// </summary>
    private const double Tolerance = 5e-3;

    private static readonly OperatorSpec Conv = Operator.Conv2d(64, 32, 32, 16, 16, 3, padding: 1, elementType: ElementType.Float32);

    /// <summary>The direct convolution's operator: depthwise, where it applies.</summary>
    private static readonly OperatorSpec Depthwise = Operator.Conv2d(64, 32, 32, 16, 16, 3, padding: 1, groups: 32, elementType: ElementType.Float32);

    private static IEnumerable<TestCaseData> Families()
    {
        var none = PlacementConstraints.None;
        yield return new TestCaseData("direct", Depthwise, (Func<OperatorSpec, IScheduleSpace>)(s => new DirectSpace(s, Target.Limits, none)));
        yield return new TestCaseData("winograd", Conv, (Func<OperatorSpec, IScheduleSpace>)(s => new WinogradSpace(s, Target.Limits, none)));
        yield return new TestCaseData("winograd-mesh", Conv, (Func<OperatorSpec, IScheduleSpace>)(s => new WinogradMeshSpace(s, Target.Limits, none)));
        yield return new TestCaseData("im2col-ldm", Conv, (Func<OperatorSpec, IScheduleSpace>)(s => new Im2colLdmSpace(s, Target.Limits, none)));
        yield return new TestCaseData("winograd-gemm", Conv, (Func<OperatorSpec, IScheduleSpace>)(s => new WinogradGemmSpace(s, Target.Limits, none)));
    }

    [TestCaseSource(nameof(Families))]
    public void An_extrapolated_time_matches_the_full_emulation(string family, OperatorSpec spec, Func<OperatorSpec, IScheduleSpace> space)
    {
        var measurer = new TargetMeasurer(Target, TuningObjective.EndToEnd);
        var schedules = space(spec).Enumerate().Where(s => RepresentativePart.For(spec, s, Target.Limits) is { SharesAlike: true }).ToList();
        Assert.That(schedules, Is.Not.Empty, $"{family}: some schedule of {spec} has a representative part");

        // A spread of the family's schedules: over the core groups, tiles and buffers its listing walks.
        var step = Math.Max(1, schedules.Count / 5);
        var worst = 0.0;
        foreach (var schedule in schedules.Where((_, i) => i % step == 0).Take(5))
        {
            var candidate = measurer.MeasureCandidate(spec, schedule, CancellationToken.None);
            var full = measurer.Measure(spec, schedule, CancellationToken.None);
            Assert.That(candidate.Part, Is.Not.Null, schedule.ToString());
            Assert.That(full.Part, Is.Null, "a full measurement is no extrapolation");
            var error = Math.Abs(candidate.Seconds - full.Seconds) / full.Seconds;
            TestContext.Out.WriteLine($"{family}: {candidate.Part}: extrapolated {candidate.Seconds * 1e3:F6} ms, full {full.Seconds * 1e3:F6} ms, relative error {error:E2}; {schedule}");
            Assert.That(error, Is.LessThanOrEqualTo(Tolerance), $"{schedule}: extrapolated {candidate.Seconds} s against {full.Seconds} s in full");
            Assert.That(candidate.KernelSeconds!.Value, Is.EqualTo(full.KernelSeconds!.Value).Within(Tolerance * full.KernelSeconds.Value), "the kernel's own time");
            Assert.That(candidate.PeakPercent!.Value, Is.EqualTo(full.PeakPercent!.Value).Within(Tolerance * full.PeakPercent.Value), "the share of the peak");
            worst = Math.Max(worst, error);
        }

        TestContext.Out.WriteLine($"{family}: worst relative error {worst:E2}");
    }

    [Test]
    public void A_column_block_schedule_with_spread_puts_is_extrapolated_from_parts_of_enough_tiles_within_the_tolerance()
    {
        // 16 x 16 outputs: two to eight tiles an image, so a unit of alike work holds at least eight tiles.
        var spec = Operator.Conv2d(128, 32, 32, 16, 16, 3, padding: 1, elementType: ElementType.Float32);
        var measurer = new TargetMeasurer(Target, TuningObjective.EndToEnd);
        var schedules = new Im2colLdmSpace(spec, Target.Limits, PlacementConstraints.None).Enumerate().Cast<Im2colLdmSchedule>()
            .Where(s => s.SpreadPuts && RepresentativePart.For(spec, s, Target.Limits) is { SharesAlike: true }).ToList();
        Assert.That(schedules, Is.Not.Empty, "some schedule with spread puts has a representative part");
        var step = Math.Max(1, schedules.Count / 4);
        foreach (var schedule in schedules.Where((_, i) => i % step == 0).Take(4))
        {
            var plan = (Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(spec, schedule, Target.Limits);
            var part = RepresentativePart.For(spec, schedule, Target.Limits)!;
            Assert.That(part.UnitImages / schedule.ImagesPerTile * plan.TilesPerImage, Is.GreaterThanOrEqualTo(AlikeImageUnit.SpreadTiles), schedule.ToString());
            var candidate = measurer.MeasureCandidate(spec, schedule, CancellationToken.None);
            var full = measurer.Measure(spec, schedule, CancellationToken.None);
            var error = Math.Abs(candidate.Seconds - full.Seconds) / full.Seconds;
            TestContext.Out.WriteLine($"spread puts: {candidate.Part}: extrapolated {candidate.Seconds * 1e3:F6} ms, full {full.Seconds * 1e3:F6} ms, relative error {error:E2}; {schedule}");
            Assert.That(error, Is.LessThanOrEqualTo(Tolerance), $"{schedule}: extrapolated {candidate.Seconds} s against {full.Seconds} s in full");
        }
    }

    [Test]
    public void The_parts_hold_the_remainder_and_one_and_two_units()
    {
        // The fused Winograd on 16 x 16 with F(2 x 2): 8 x 8 tiles an image; segments of 7 tiles make two segments a tile row,
        // 16 segments an image; a chunk of 8 x 4 segments is two images. 64 images on 4 groups: 16 a group, 8 units of 2.
        var schedule = new WinogradMeshSpace(Conv, Target.Limits, PlacementConstraints.None).Enumerate().Cast<WinogradMeshSchedule>()
            .First(s => s.OutputTile == 2 && s.TileColumns == 7 && s.Segments == 4 && s.CoreGroups == 4);
        var part = RepresentativePart.For(Conv, schedule, Target.Limits)!;
        Assert.Multiple(() =>
        {
            Assert.That(part.UnitImages, Is.EqualTo(2));
            Assert.That(part.ImagesPerGroup, Is.EqualTo(16));
            Assert.That((part.WholeUnits, part.Remainder), Is.EqualTo((8L, 0L)));
            Assert.That((part.SmallBatch, part.LargeBatch), Is.EqualTo((8, 16)));
            Assert.That(part.Extrapolate(3.0, 5.0), Is.EqualTo(5.0 + (2.0 * 6)), "six more units of 2.0 after the large part's two");
        });
    }

    [TestCaseSource(nameof(Families))]
    public void Where_the_groups_shares_differ_the_kernel_ends_with_its_slowest_share_and_its_candidate_time_is_the_slower_extrapolation(string family, OperatorSpec spec, Func<OperatorSpec, IScheduleSpace> space)
    {
        // 64 images on 3 core groups: 22, 22 and 20; the same schedule at 66 images (22 each) and at 60 (20 each).
        var measurer = new TargetMeasurer(Target, TuningObjective.EndToEnd);
        var (largest, fewest) = (RepresentativePart.OperatorAt(spec, 66), RepresentativePart.OperatorAt(spec, 60));
        var schedules = space(spec).Enumerate().Where(s => s.CoreGroups == 3 && RepresentativePart.For(spec, s, Target.Limits) is { SharesAlike: false }).ToList();
        Assert.That(schedules, Is.Not.Empty, $"{family}: some schedule of {spec} on 3 core groups has a representative part");

        var step = Math.Max(1, schedules.Count / 3);
        foreach (var schedule in schedules.Where((_, i) => i % step == 0).Take(3))
        {
            double Full(OperatorSpec s) => measurer.Measure(s, schedule, CancellationToken.None).Seconds;
            Measurement Candidate(OperatorSpec s) => measurer.MeasureCandidate(s, schedule, CancellationToken.None);
            var (candidate, candidate22, candidate20) = (Candidate(spec), Candidate(largest), Candidate(fewest));
            Assert.That(new[] { candidate.Part, candidate22.Part, candidate20.Part }, Has.None.Null, schedule.ToString());
            TestContext.Out.WriteLine($"{family}: {candidate.Part}: extrapolated {candidate.Seconds * 1e3:F6} ms; {schedule}");

            // The groups work apart: the whole's time is that of the batch where every group takes the largest share, or the
            // fewest, whichever is slower; and so is the candidate's, each share extrapolated as alike shares are.
            Assert.That(Full(spec), Is.EqualTo(Math.Max(Full(largest), Full(fewest))), $"{schedule}: the full emulation ends with its slowest group");
            Assert.That(candidate.Seconds, Is.EqualTo(Math.Max(candidate22.Seconds, candidate20.Seconds)), $"{schedule}: the slower share's extrapolation");
            Assert.That(candidate.KernelSeconds, Is.EqualTo(Math.Max(candidate22.KernelSeconds!.Value, candidate20.KernelSeconds!.Value)), "the kernel's own time");
        }
    }

    [Test]
    public void Unlike_shares_take_parts_of_each_shares_remainder_and_the_slower_share_is_the_time()
    {
        // The fused Winograd's units of 2 images (see above). 64 images on 3 groups: 22, 22, 20, both even, so one pair of parts
        // serves both shares; 131 images: 44, 44 and 43, whose odd remainder needs parts of its own.
        var alike = new WinogradMeshSpace(Conv, Target.Limits, PlacementConstraints.None).Enumerate().Cast<WinogradMeshSchedule>()
            .First(s => s.OutputTile == 2 && s.TileColumns == 7 && s.Segments == 4 && s.CoreGroups == 3);
        var shared = RepresentativePart.For(Conv, alike, Target.Limits)!;
        var odd = RepresentativePart.OperatorAt(Conv, 131);
        var apart = RepresentativePart.For(odd, alike, Target.Limits)!;
        Assert.Multiple(() =>
        {
            Assert.That((shared.UnitImages, shared.ImagesPerGroup, shared.LastImages, shared.SharesAlike), Is.EqualTo((2L, 22L, 20L, false)));
            Assert.That((shared.SmallBatch, shared.LargeBatch, shared.LastPartsShared, shared.PartImages), Is.EqualTo((6, 12, true, 18L)));
            Assert.That(shared.Extrapolate(3.0, 5.0), Is.EqualTo(5.0 + (2.0 * 9)), "eleven units of the first groups, nine after the large part's two");
            Assert.That(shared.ExtrapolateLast(3.0, 5.0), Is.EqualTo(5.0 + (2.0 * 8)), "ten units of the last group");
            Assert.That(shared.Images, Is.EqualTo(64L));
            Assert.That((apart.ImagesPerGroup, apart.LastImages, apart.Remainder, apart.LastRemainder), Is.EqualTo((44L, 43L, 0L, 1L)));
            Assert.That((apart.SmallBatch, apart.LargeBatch, apart.LastSmallBatch, apart.LastLargeBatch), Is.EqualTo((6, 12, 9, 15)));
            Assert.That(apart.LastPartsShared, Is.False);
            Assert.That(apart.PartImages, Is.EqualTo(42L));
        });
    }

    [Test]
    public void A_kernel_whose_work_is_not_alike_images_is_measured_in_full()
    {
        var measurer = new TargetMeasurer(Target);
        var gemm = ImplicitGemmSpace.For(Conv, Target.Limits).Sample(new Random(3));
        var unlike = Operator.Conv2d(13, 32, 32, 16, 16, 3, padding: 1, elementType: ElementType.Float32);
        var unlikeSchedule = new WinogradMeshSpace(unlike, Target.Limits, PlacementConstraints.None).Enumerate().First(s => s.CoreGroups == 4);
        var small = Operator.Conv2d(8, 32, 32, 16, 16, 3, padding: 1, groups: 32, elementType: ElementType.Float32);
        var smallSchedule = new DirectSpace(small, Target.Limits, PlacementConstraints.None).Enumerate().First(s => s.CoreGroups == 4);
        Assert.Multiple(() =>
        {
            Assert.That(RepresentativePart.For(Conv, gemm, Target.Limits), Is.Null, "the implicit GEMM's tiles cut across the batch");
            Assert.That(RepresentativePart.For(unlike, unlikeSchedule, Target.Limits), Is.Null, "13 images on 4 groups: 4, 4, 4 and 1, too few for parts of two shares to save half");
            Assert.That(RepresentativePart.For(small, smallSchedule, Target.Limits), Is.Null, "2 images a group: the parts would not save half");
            Assert.That(RepresentativePart.For(Operator.Gemm(256, 64, 64), ImplicitGemmSpace.For(Operator.Gemm(256, 64, 64), Target.Limits).Sample(new Random(1)), Target.Limits), Is.Null, "not a convolution");
        });

        foreach (var (spec, schedule) in new[] { (Conv, gemm), (unlike, unlikeSchedule) })
        {
            var candidate = measurer.MeasureCandidate(spec, schedule, CancellationToken.None);
            var full = measurer.Measure(spec, schedule, CancellationToken.None);
            Assert.That(candidate.Part, Is.Null, schedule.ToString());
            Assert.That(candidate.Seconds, Is.EqualTo(full.Seconds), schedule.ToString());
        }
    }

    [Test]
    public void Turned_off_a_target_measurer_times_every_candidate_in_full()
    {
        var schedule = new WinogradMeshSpace(Conv, Target.Limits, PlacementConstraints.None).Enumerate().First(s => RepresentativePart.For(Conv, s, Target.Limits) is not null);
        var candidate = new TargetMeasurer(Target, representativeParts: false).MeasureCandidate(Conv, schedule, CancellationToken.None);
        Assert.That(candidate.Part, Is.Null);
        Assert.That(candidate.Seconds, Is.EqualTo(new TargetMeasurer(Target).Measure(Conv, schedule, CancellationToken.None).Seconds));
    }

    [Test]
    public void The_winner_of_a_model_guided_search_reports_its_full_measurement()
    {
        // 256 images: a core group's 64 hold enough units of every family's leaders for two parts under half the batch (the column block's tiles of eight images among them).
        var spec = Operator.Conv2d(256, 64, 64, 16, 16, 3, padding: 1, elementType: ElementType.Float32);
        var measurer = new RecordingMeasurer(new TargetMeasurer(Target));
        var result = spec.Tune(Target, new TuningOptions { Measurer = measurer, Strategy = new ModelGuidedSearch(Target.CostModel!, 4) });
        var full = new TargetMeasurer(Target).Measure(spec, result.Schedule, CancellationToken.None);
        Assert.That(measurer.Candidates, Has.Some.Matches<Measurement>(m => m.Part is not null), "some candidate was timed on a part");
        Assert.That(result.MeasuredSeconds, Is.EqualTo(full.Seconds), "the result's time is the winner's full emulation");
        Assert.That(result.Emit().Measure().EndToEndSeconds, Is.EqualTo(result.MeasuredSeconds));
        var winner = measurer.Candidates.MinBy(m => m.Seconds)!;
        Assert.That(result.Schedule, Is.EqualTo(winner.Schedule), "the fastest candidate wins");
        Assert.That(measurer.Full.Select(m => m.Schedule), winner.Part is null ? Is.Empty : Is.EqualTo(new[] { winner.Schedule }), "only an extrapolated winner is measured again, in full");
    }

    /// <summary>Passes every call to a target measurer, keeping what each kind of call returned.</summary>
    private sealed class RecordingMeasurer(IMeasurer inner) : IMeasurer
    {
        private readonly object _gate = new();

        public List<Measurement> Candidates { get; } = [];

        public List<Measurement> Full { get; } = [];

        public string Name => inner.Name;

        public bool MeasuresConcurrently => inner.MeasuresConcurrently;

        public Measurement Measure(OperatorSpec spec, Schedule schedule, CancellationToken cancellation) => Keep(Full, inner.Measure(spec, schedule, cancellation));

        public Measurement MeasureCandidate(OperatorSpec spec, Schedule schedule, CancellationToken cancellation) => Keep(Candidates, inner.MeasureCandidate(spec, schedule, cancellation));

        private Measurement Keep(List<Measurement> list, Measurement measurement)
        {
            lock (_gate)
            {
                list.Add(measurement);
            }

            return measurement;
        }
    }
}
