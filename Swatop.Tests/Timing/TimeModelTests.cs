using System.Runtime.Intrinsics;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;
using Swatop.Tests.Emulator;

namespace Swatop.Tests.Timing;

/// <summary>The emulator's clock: what it charges, what overlaps, what scales.</summary>
public sealed class TimeModelTests
{
    private static readonly Sw26010Timing Timing = Sw26010Timing.Default;

    private static CoreGroup Group(bool timingOnly = false) =>
        EmulatorHarness.Group(EmulatorOptions.Sequential with { TimingOnly = timingOnly });

    [Test]
    public void AFillCostsItsSetupAndOneCyclePerVector()
    {
        var report = Group().Run(cpe =>
        {
            var buffer = cpe.Ldm.Allocate("b", ElementType.Float64, 1024);
            cpe.Fill(buffer.All, 1);
            return ValueTask.CompletedTask;
        });

        Assert.That(report.Profile.Cpes[0].ComputeCycles, Is.EqualTo(Timing.LoopSetupCycles + (256 * Timing.FillCyclesPerVector)));
    }

    [Test]
    public void AsynchronousDmaOverlapsComputeUntilTheWait()
    {
        // One CPE alone gets 4 KB and then fills 32 KB of LDM, which takes longer than the transfer:
        // waiting after the fill hides the transfer entirely, waiting before it hides nothing.
        var overlapped = GetAndFill(waitFirst: false);
        var serial = GetAndFill(waitFirst: true);

        Assert.Multiple(() =>
        {
            Assert.That(serial.DmaWaitCycles, Is.GreaterThan(100));
            Assert.That(overlapped.DmaWaitCycles, Is.Zero);
            Assert.That(serial.FinishCycle - overlapped.FinishCycle, Is.EqualTo(serial.DmaWaitCycles).Within(1e-9).Percent);
        });

        static CpeTimes GetAndFill(bool waitFirst)
        {
            var group = Group();
            var memory = group.Memory.Allocate<double>("m", 512);
            return group.Run(async cpe =>
            {
                if (cpe.IdInGroup != 0)
                {
                    return;
                }

                var block = cpe.Ldm.Allocate("block", ElementType.Float64, 512);
                var work = cpe.Ldm.Allocate("work", ElementType.Float64, 4096);
                var reply = cpe.CreateReplyWord("reply");
                cpe.DmaGet(block.All, memory.At(0), reply);
                if (waitFirst)
                {
                    await cpe.DmaWait(reply, 1);
                }

                cpe.Fill(work.All, 0);
                await cpe.DmaWait(reply, 1);
            }).Profile.Cpes[0];
        }
    }

    [Test]
    public void SixtyFourCpesShareTheMemoryController()
    {
        double Kernel(int activeCpes)
        {
            var group = Group();
            var memory = group.Memory.Allocate<double>("m", 64 * 1024);
            return group.Run(async cpe =>
            {
                if (cpe.IdInGroup >= activeCpes)
                {
                    return;
                }

                var block = cpe.Ldm.Allocate("block", ElementType.Float64, 1024);
                var reply = cpe.CreateReplyWord("reply");
                cpe.DmaGet(block.All, memory.AtElement<double>(cpe.IdInGroup * 1024), reply);
                await cpe.DmaWait(reply, 1);
            }).Profile.KernelCycles;
        }

        var one = Kernel(1);
        var all = Kernel(64);

        // 64 transfers queue at one controller: far slower than one, but the latency is paid once.
        Assert.That(all, Is.GreaterThan(20 * one).And.LessThan(64 * one));
    }

    [Test]
    public void DoublingTheBytesOfABandwidthBoundProgramRoughlyDoublesItsTime()
    {
        var small = CopyKernel(blockDoubles: 512);
        var large = CopyKernel(blockDoubles: 1024);

        Assert.That(large / small, Is.EqualTo(2).Within(0.2));
    }

    [Test]
    public void DoublingTheBytesOfAComputeBoundProgramBarelyChangesItsTime()
    {
        // Eight mesh GEMMs per get: the transfers hide under the compute.
        double Kernel(int blockDoubles)
        {
            var group = Group(timingOnly: true);
            var memory = group.Memory.Allocate<double>("m", 64 * 1024);
            return group.Run(async cpe =>
            {
                var a = cpe.Ldm.Allocate("a", ElementType.Float64, 32 * 32);
                var b = cpe.Ldm.Allocate("b", ElementType.Float64, 32 * 32);
                var c = cpe.Ldm.Allocate("c", ElementType.Float64, 32 * 32);
                var incoming = cpe.Ldm.Allocate("in", ElementType.Float64, blockDoubles);
                var reply = cpe.CreateReplyWord("reply");
                for (var i = 0; i < 4; i++)
                {
                    reply.Reset();
                    cpe.DmaGet(incoming.All, memory.AtElement<double>(cpe.IdInGroup * 1024), reply);
                    for (var g = 0; g < 8; g++)
                    {
                        await cpe.MeshGemm(256, 256, 256, a.All, b.All, c.All);
                    }

                    await cpe.DmaWait(reply, 1);
                }
            }).Profile.KernelCycles;
        }

        var small = Kernel(256);
        var large = Kernel(512);

        Assert.That(large / small, Is.EqualTo(1).Within(0.02));
    }

    [Test]
    public void AGetWaitsForItsPutAndPaysTheHop()
    {
        var report = Group().Run(async cpe =>
        {
            if (cpe.Id is { Row: 0, Column: 0 })
            {
                var work = cpe.Ldm.Allocate("work", ElementType.Float64, 4000);
                cpe.Fill(work.All, 0);
                await cpe.RlcPut(RlcBus.Row, 1, Vector256<double>.One);
            }
            else if (cpe.Id is { Row: 0, Column: 1 })
            {
                await cpe.RlcGet(RlcBus.Row);
            }
        });

        var sender = report.Profile.Cpes[0];
        var receiver = report.Profile.Cpes[1];
        Assert.Multiple(() =>
        {
            Assert.That(receiver.FinishCycle, Is.EqualTo(sender.FinishCycle + Timing.RlcHopCycles + Timing.RlcGetCycles));
            Assert.That(receiver.RlcWaitCycles, Is.EqualTo(sender.FinishCycle + Timing.RlcHopCycles));
        });
    }

    [Test]
    public void EveryCpesCyclesAddUpToTheKernel()
    {
        var report = TiledGemm(timingOnly: false, out _);
        var profile = report.Profile;

        foreach (var cpe in profile.Cpes)
        {
            var sum = cpe.ComputeCycles + cpe.DmaWaitCycles + cpe.RlcWaitCycles + cpe.SyncWaitCycles + cpe.IdleCycles;
            Assert.That(sum, Is.EqualTo(profile.KernelCycles).Within(1e-6).Percent);
        }
    }

    [Test]
    public void TimingOnlyReportsTheSameCyclesAsAFullRun()
    {
        var full = TiledGemm(timingOnly: false, out var fullOutput);
        var timed = TiledGemm(timingOnly: true, out var timedOutput);

        Assert.Multiple(() =>
        {
            Assert.That(timed.Profile.KernelCycles, Is.EqualTo(full.Profile.KernelCycles));
            Assert.That(timed.Profile.Cpes, Is.EqualTo(full.Profile.Cpes));
            Assert.That(timed.Total, Is.EqualTo(full.Total));
            Assert.That(timedOutput, Is.All.EqualTo(0.0), "timing only moves no data");
            Assert.That(fullOutput, Has.Some.Not.EqualTo(0.0));
        });
    }

    [TestCase(128, 32, 32, 6, 6, 3, 1)]
    [TestCase(128, 64, 32, 7, 6, 2, 2)]
    [TestCase(128, 32, 64, 10, 10, 3, 4)]
    public void TimingOnlyAgreesToTheCycleOnTheSwDnnConvolution(int batch, int inChannels, int outChannels, int height, int width, int kernel, int groups)
    {
        var shape = new SwDnnShape(batch, inChannels, outChannels, height, width, kernel);
        var input = EmulatorHarness.RandomDoubles(5, (int)shape.InputLength);
        var weights = EmulatorHarness.RandomDoubles(6, (int)shape.WeightLength);
        var full = EmulatorHarness.Chip(groups, EmulatorOptions.Default with { HostThreads = 2 });
        var timed = EmulatorHarness.Chip(groups, EmulatorOptions.Sequential with { TimingOnly = true });

        var fullProfile = new SwDnnConvolution(shape, groups, full.Spec).Run(full, input, weights).Profile;
        var timedProfile = new SwDnnConvolution(shape, groups, timed.Spec).Measure(timed).Profile;

        Assert.Multiple(() =>
        {
            Assert.That(timedProfile.ElapsedCycles, Is.EqualTo(fullProfile.ElapsedCycles));
            Assert.That(timedProfile.CoreGroups.SelectMany(g => g.Cpes), Is.EqualTo(fullProfile.CoreGroups.SelectMany(g => g.Cpes)));
        });
    }

    [Test]
    public void RepeatedSpawnsAddTheirKernelsAndTheSpawnCosts()
    {
        var group = Group(timingOnly: true);
        var memory = group.Memory.Allocate<double>("m", 64 * 256);
        CpeProgram program = async cpe =>
        {
            var block = cpe.Ldm.Allocate("block", ElementType.Float64, 256);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(block.All, memory.AtElement<double>(cpe.IdInGroup * 256), reply);
            await cpe.DmaWait(reply, 1);
        };

        var once = group.Run(program).Profile;
        var thrice = group.Run(program, spawns: 3).Profile;

        Assert.Multiple(() =>
        {
            Assert.That(thrice.KernelCycles, Is.EqualTo(once.KernelCycles));
            Assert.That(thrice.ElapsedCycles, Is.EqualTo(3 * once.ElapsedCycles).Within(1e-9).Percent);
            Assert.That(once.ElapsedCycles, Is.EqualTo(once.KernelCycles + Timing.SpawnCycles + Timing.JoinCycles));
        });
    }

    [Test]
    public void AHostSideStepTakesTheMpesTimeForItsWork()
    {
        var mpe = Group().Mpe;

        mpe.Run("place", _ => { });
        mpe.Run("transpose", new MpeWork(Bytes: 11_000, Flops: 400), _ => { });

        Assert.Multiple(() =>
        {
            Assert.That(mpe.Steps.Select(s => s.SimulatedCycles), Is.EqualTo(new[] { 0, (11_000 / Timing.MpeBytesPerCycle) + (400 / Timing.MpeFlopsPerCycle) }));
            Assert.That(mpe.Cycles, Is.EqualTo(mpe.Steps[1].SimulatedCycles));
            Assert.That(() => mpe.Run("bad", new MpeWork(-1), _ => { }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("work"));
        });
    }

    [Test]
    public void ABadTimingConstantIsNamed()
    {
        var spec = Sw26010Spec.Default with { Timing = Sw26010Timing.Default with { RlcHopCycles = -1 } };

        var error = Assert.Throws<ArgumentException>(() => spec.Validate());
        Assert.That(error!.Message, Does.Contain("RlcHopCycles").And.Contain("-1"));
    }

    private static double CopyKernel(int blockDoubles)
    {
        var group = Group(timingOnly: true);
        // Blocks of 256 bytes with 256-byte gaps: each CPE's part spans twice its bytes.
        var source = group.Memory.Allocate<double>("a", 128 * blockDoubles);
        var target = group.Memory.Allocate<double>("c", 128 * blockDoubles);
        return group.Run(async cpe =>
        {
            var block = cpe.Ldm.Allocate("block", ElementType.Float64, blockDoubles);
            var reply = cpe.CreateReplyWord("reply");
            var at = cpe.IdInGroup * 2 * blockDoubles;
            for (var i = 0; i < 4; i++)
            {
                reply.Reset();
                cpe.DmaGet(block.All, source.AtElement<double>(at), reply, 256, 256);
                await cpe.DmaWait(reply, 1);
                cpe.DmaPut(block.All, target.AtElement<double>(at), reply, 256, 256);
                await cpe.DmaWait(reply, 2);
            }
        }).Profile.KernelCycles;
    }

    private static CoreGroupRunReport TiledGemm(bool timingOnly, out double[] output)
    {
        var group = Group(timingOnly);
        var kernel = new TiledGemmKernel(256, 128, 256, 128, 64, 128);
        var a = group.Memory.Allocate<double>("A", 256 * 256);
        var b = group.Memory.Allocate<double>("B", 256 * 128);
        var c = group.Memory.Allocate<double>("C", 256 * 128);
        EmulatorHarness.RandomDoubles(1, 256 * 256).CopyTo(a.AsSpan<double>());
        EmulatorHarness.RandomDoubles(2, 256 * 128).CopyTo(b.AsSpan<double>());
        var report = group.Run(kernel.Program(a, b, c));
        output = c.AsSpan<double>().ToArray();
        return report;
    }
}
