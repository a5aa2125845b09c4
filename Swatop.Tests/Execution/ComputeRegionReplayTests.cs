using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Ir;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>
/// A timing-only run replays a loop that only computes in LDM when a CPE of its group already ran it with the same
/// values (<see cref="EmulatorOptions.ReplayComputeRegions"/>): checked against running every loop, to the cycle
/// (bit for bit) and the count, on kernels of every algorithm and on a kernel written for it.
/// </summary>
public sealed class ComputeRegionReplayTests
{
    private static readonly Sw26010Target Replaying = Sw26010Target.Default;
    private static readonly Sw26010Target Running = new(options: new EmulatorOptions { ReplayComputeRegions = false });

    private static IEnumerable<TestCaseData> AlgorithmKernels()
    {
        yield return new TestCaseData(WinogradSchedule.AlgorithmName, Operator.Conv2d(4, 16, 16, 12, 12, 3, padding: 1)).SetName("Winograd, double");
        yield return new TestCaseData(WinogradSchedule.AlgorithmName, Operator.Conv2d(6, 8, 12, 11, 13, 3, padding: 1, elementType: ElementType.Float32)).SetName("Winograd, float, border tiles");
        yield return new TestCaseData(DirectSchedule.AlgorithmName, Operator.Conv2d(8, 32, 32, 14, 14, 3, padding: 1, groups: 32)).SetName("Direct, depthwise");
        yield return new TestCaseData(DirectSchedule.AlgorithmName, Operator.Conv2d(4, 16, 24, 9, 9, 3, stride: 2, padding: 1, groups: 4, elementType: ElementType.Float32)).SetName("Direct, grouped, stride 2");
        yield return new TestCaseData(Im2colSchedule.AlgorithmName, Operator.Conv2d(4, 3, 16, 32, 32, 7, stride: 2, padding: 3)).SetName("Explicit im2col: the column step and the GEMM");
        yield return new TestCaseData(ImplicitGemmSchedule.AlgorithmName, Operator.Conv2d(8, 16, 32, 12, 12, 3, padding: 1, elementType: ElementType.Float32)).SetName("Implicit GEMM");
    }

    [TestCaseSource(nameof(AlgorithmKernels))]
    public void A_measurement_that_replays_computing_loops_reports_what_running_every_loop_reports(string algorithm, OperatorSpec spec)
    {
        var space = ScheduleSpace.For(spec, Replaying.Limits, null, algorithm);
        var random = new Random(23);
        for (var i = 0; i < 3; i++)
        {
            var schedule = space.Sample(random);
            var replayed = ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(Replaying)).MeasureCall(everyGroup: true);
            var run = ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(Running)).MeasureCall(everyGroup: true);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(replayed.Call.Kernel.CoreGroups.Select(Summary), Is.EqualTo(run.Call.Kernel.CoreGroups.Select(Summary)), schedule.ToString());
                Assert.That(replayed.Call.Kernel.CoreGroups.SelectMany(g => g.Cpes), Is.EqualTo(run.Call.Kernel.CoreGroups.SelectMany(g => g.Cpes)), schedule.ToString());
                Assert.That(replayed.Call.Kernel.CoreGroups.SelectMany(g => g.Profile.Cpes), Is.EqualTo(run.Call.Kernel.CoreGroups.SelectMany(g => g.Profile.Cpes)), schedule.ToString());
                Assert.That(replayed.Call.Steps, Is.EqualTo(run.Call.Steps), schedule.ToString());
                Assert.That(replayed.Prepare, Is.EqualTo(run.Prepare), schedule.ToString());
            }
        }
    }

    /// <summary>
    /// Every CPE walks 12 tasks: a get, then a loop of multiply-accumulates, 2 or 3 long by turns of two tasks, into
    /// a double buffer's current half, then a put of that half and a swap. The loop's runs differ by its length and
    /// the turn bit: 4 distinct runs, each recorded once by the group's first CPE to reach it.
    /// </summary>
    private static LoopKernel Tasks(ElementType type) =>
        new("tasks", type, [new("in", 64 * 40, false), new("out", 64 * 12 * 16, true)],
            [new("src", 40), new("w", 3), new("acc", 16, Copies: 2, DoubleBuffer: true)], ["r"],
            new Let("id", (Var.Row * 8) + Var.Column, new ForLoop("t", 12, Block.Of(
                new ResetReply("r"),
                new DmaGet(new LdmRef("src", 0, 40), "in", new Var("id") * 40, 40, 0, "r"),
                new DmaWait("r"),
                new Let("n", 2 + (new Var("t") / 2 % 2), new ForLoop("i", new Var("n"), new ForLoop("j", 4, new MultiplyAccumulate(
                    new LdmRef("acc", new Var("j") * 4, 4), new LdmRef("w", 0, 3), new LdmRef("src", (new Var("i") * 8) + new Var("j"), 6), 1, 1)))),
                new ResetReply("r"),
                new DmaPut(new LdmRef("acc", 0, 16), "out", ((new Var("id") * 12) + new Var("t")) * 16, 16, 0, "r"),
                new DmaWait("r"),
                new Swap("acc")))));

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void A_computing_loop_is_replayed_after_its_first_run_and_reports_what_running_it_reports(ElementType type)
    {
        CoreGroupRunReport Run(bool replay, out long replays)
        {
            var group = Group(EmulatorOptions.Sequential with { TimingOnly = true, ReplayComputeRegions = replay });
            var tensors = new Dictionary<string, GlobalBuffer>
            {
                ["in"] = group.Memory.Allocate("in", 64 * 40 * (type == ElementType.Float32 ? 4 : 8)),
                ["out"] = group.Memory.Allocate("out", 64 * 12 * 16 * (type == ElementType.Float32 ? 4 : 8)),
            };
            var report = group.Run(CompiledKernel.Compile(Tasks(type)).Program(tensors));
            replays = group.Cpes.Sum(c => c.RegionsReplayed);
            return report;
        }

        var replayed = Run(replay: true, out var replays);
        var run = Run(replay: false, out var none);
        using (Assert.EnterMultipleScope())
        {
            // 64 CPEs x 12 tasks; the group records each of the 2 loop lengths x 2 turn bits once.
            Assert.That(replays, Is.EqualTo((64 * 12) - 4));
            Assert.That(none, Is.Zero);
            Assert.That(replayed.Cpes, Is.EqualTo(run.Cpes));
            Assert.That(replayed.Profile.Cpes, Is.EqualTo(run.Profile.Cpes));
            Assert.That(replayed.Profile.ElapsedCycles, Is.EqualTo(run.Profile.ElapsedCycles));
        }
    }

    [Test]
    public void One_program_run_by_two_core_groups_at_once_replays_in_each_what_that_group_recorded()
    {
        ChipRunReport Run(bool replay)
        {
            var chip = Chip(2, EmulatorOptions.Default with { TimingOnly = true, HostThreads = 2, ReplayComputeRegions = replay });
            var program = CompiledKernel.Compile(Tasks(ElementType.Float64)).Program(new Dictionary<string, GlobalBuffer>
            {
                ["in"] = chip.SharedMemory.Allocate("in", 64 * 40 * 8),
                ["out"] = chip.SharedMemory.Allocate("out", 64 * 12 * 16 * 8),
            });
            var report = chip.Run(_ => program, 2);
            Assert.That(chip.CoreGroups.Select(g => g.Cpes.Sum(c => c.RegionsReplayed)), Is.EqualTo(replay ? new[] { 764L, 764L } : [0L, 0L]));
            return report;
        }

        var (replayed, run) = (Run(replay: true), Run(replay: false));
        Assert.That(replayed.CoreGroups.SelectMany(g => g.Profile.Cpes), Is.EqualTo(run.CoreGroups.SelectMany(g => g.Profile.Cpes)));
        Assert.That(replayed.CoreGroups.SelectMany(g => g.Cpes), Is.EqualTo(run.CoreGroups.SelectMany(g => g.Cpes)));
    }

    [Test]
    public void A_run_that_moves_data_or_checks_races_runs_every_loop()
    {
        long Replays(EmulatorOptions options)
        {
            var group = Group(options);
            var tensors = new Dictionary<string, GlobalBuffer>
            {
                ["in"] = group.Memory.Allocate("in", 64 * 40 * 8),
                ["out"] = group.Memory.Allocate("out", 64 * 12 * 16 * 8),
            };
            group.Run(CompiledKernel.Compile(Tasks(ElementType.Float64)).Program(tensors));
            return group.Cpes.Sum(c => c.RegionsReplayed);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Replays(EmulatorOptions.Sequential), Is.Zero, "a full run");
            Assert.That(Replays(EmulatorOptions.Sequential with { TimingOnly = true, DmaRaceChecks = DmaRaceChecks.Always }), Is.Zero, "a timing-only run that checks races");
            Assert.That(Replays(EmulatorOptions.Sequential with { TimingOnly = true }), Is.Positive, "a timing-only run");
        }
    }

    [Test]
    public void Replayed_charges_end_where_spending_them_one_by_one_ends_bit_for_bit()
    {
        var random = new Random(41);
        var fast = 0;
        for (var i = 0; i < 2000; i++)
        {
            var log = new SpendLog();
            var charges = Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(4) switch
            {
                0 => 8.0,
                1 => (double)random.Next(0, 5000),
                2 => random.NextDouble() * 300,
                _ => (double)random.Next(1, 1 << 20),
            }).ToList();
            if (i % 2 == 0)
            {
                charges = [.. charges.Select(Math.Floor)];
            }

            charges.ForEach(log.Add);
            var start = random.Next(3) switch
            {
                0 => random.NextDouble() * 1e9,
                1 => Math.Floor(random.NextDouble() * 1e12),
                _ => Math.ScaleB(1, random.Next(10, 40)) - (random.NextDouble() * 1e3),
            };
            var (byOne, replayed) = (Clock(start), Clock(start));
            charges.ForEach(c => byOne.Spend(c));
            log.ReplayOn(ref replayed);
            fast += SpendLog.AddsExactly(start, log.Total) && charges.All(c => Math.Floor(c) == c) ? 1 : 0;
            Assert.That((BitConverter.DoubleToInt64Bits(replayed.Now), BitConverter.DoubleToInt64Bits(replayed.Compute)),
                Is.EqualTo((BitConverter.DoubleToInt64Bits(byOne.Now), BitConverter.DoubleToInt64Bits(byOne.Compute))),
                $"from {start:R}: {string.Join(", ", charges.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");
        }

        Assert.That(fast, Is.GreaterThan(500), "the total was spent at once in many of the cases");
    }

    [Test]
    public void A_reading_off_the_final_sums_grid_is_not_advanced_by_the_total()
    {
        // 2^53 - 1.5 is not a double; 2^52 + 0.5 is, and adding 1 to it twice rounds (2^52 has a unit of 1).
        var reading = Math.ScaleB(1, 52) - 0.5;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(SpendLog.AddsExactly(reading, 2), Is.False);
            Assert.That(SpendLog.AddsExactly(1000.25, 24), Is.True);
            Assert.That(SpendLog.AddsExactly(1000.25, Math.ScaleB(1, 53)), Is.False);
            Assert.That(SpendLog.AddsExactly(0, 0), Is.True);
        }
    }

    [Test]
    public void A_reading_is_on_the_final_sums_grid_exactly_when_its_remainder_by_the_grids_unit_is_zero()
    {
        // The test scales the reading instead of taking a floating-point remainder; both must agree on every reading and total.
        var random = new Random(17);
        var (on, off) = (0, 0);
        for (var i = 0; i < 20000; i++)
        {
            var reading = random.Next(5) switch
            {
                0 => random.NextDouble() * 1e9,
                1 => Math.Floor(random.NextDouble() * 1e15),
                2 => Math.ScaleB(Math.Floor(random.NextDouble() * 1e6), -random.Next(0, 30)),
                3 => Math.ScaleB(random.NextDouble(), -random.Next(0, 1070)),
                _ => Math.ScaleB(1, random.Next(0, 53)) - Math.ScaleB(1, -random.Next(0, 20)),
            };
            var total = random.Next(3) switch
            {
                0 => 0.0,
                1 => (double)random.Next(1, 1 << 20),
                _ => Math.Floor(random.NextDouble() * Math.ScaleB(1, random.Next(1, 53))),
            };
            var end = reading + total;
            var expected = reading >= 0 && end < Math.ScaleB(1, 53) && (end == 0 || reading % Math.ScaleB(1.0, Math.ILogB(end) - 52) == 0);
            Assert.That(SpendLog.AddsExactly(reading, total), Is.EqualTo(expected), $"reading {reading:R}, total {total:R}");
            (on, off) = expected ? (on + 1, off) : (on, off + 1);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(on, Is.GreaterThan(1000), "readings on the grid were tested often");
            Assert.That(off, Is.GreaterThan(1000), "readings off the grid were tested often");
        }
    }

    /// <summary>A clock that has waited until <paramref name="start"/> (so its compute count stays zero).</summary>
    private static CpeClock Clock(double start)
    {
        var clock = default(CpeClock);
        clock.WaitUntil(start, WaitKind.Dma);
        return clock;
    }

    private static (int Group, double Cycles, CpeActivity Total) Summary(CoreGroupRunReport report) =>
        (report.CoreGroup, report.Profile.ElapsedCycles, report.Total);
}
