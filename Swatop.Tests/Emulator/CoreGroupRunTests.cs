using System.Runtime.Intrinsics;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>Spawn, join and run on core groups and on the chip: order rules, reports, failures, reuse.</summary>
public sealed class CoreGroupRunTests
{
    private static readonly CpeProgram Nothing = _ => ValueTask.CompletedTask;

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void SpawningWhileAProgramIsSpawnedIsRefused(EmulatorOptions options)
    {
        var group = Chip(2, options).CoreGroups[1];
        group.Spawn(Nothing);
        Throws<EmulatorException>(() => group.Spawn(Nothing), EmulatorDiagnostics.InvalidRunState, "CG 1", "spawn while");
        Assert.That(group.IsSpawned, Is.True);
        var report = group.Join();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(group.IsSpawned, Is.False);
            Assert.That(report.CoreGroup, Is.EqualTo(1));
        }
    }

    [Test]
    public void JoiningWithoutASpawnIsRefused()
    {
        var group = Group();
        Throws<EmulatorException>(() => group.Join(), EmulatorDiagnostics.InvalidRunState, "CG 0", "join without");
        group.Run(Nothing);
        Throws<EmulatorException>(() => group.Join(), EmulatorDiagnostics.InvalidRunState, "CG 0", "join without");
    }

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void AProgramsOwnExceptionIsReportedWithItsCpe(EmulatorOptions options)
    {
        var boom = new InvalidOperationException("boom at the tenth CPE");
        var group = Group(options);
        var error = Throws<EmulatorException>(
            () => group.Run(cpe => cpe.IdInGroup == 10 ? throw boom : ValueTask.CompletedTask),
            EmulatorDiagnostics.ProgramFault, $"The program of {Name(1, 2)} failed", "boom at the tenth CPE");
        Assert.That(error.InnerException, Is.SameAs(boom));
    }

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void AnExceptionAfterAnAwaitIsReportedWithItsCpe(EmulatorOptions options)
    {
        var group = Group(options);
        var error = Throws<EmulatorException>(
            () => group.Run(async cpe =>
            {
                await cpe.Synchronize(SyncScope.Array);
                if (cpe.Id is { Row: 6, Column: 1 })
                {
                    throw new FormatException("bad tile");
                }

                await cpe.Synchronize(SyncScope.Array);
            }),
            EmulatorDiagnostics.ProgramFault, Name(6, 1), "bad tile");
        Assert.That(error.InnerException, Is.TypeOf<FormatException>().With.Message.EqualTo("bad tile"));
    }

    [Test]
    public void TheReportCreditsEachCpeByItsAthreadId()
    {
        var group = Group();
        var report = group.Run(cpe =>
        {
            var buffer = cpe.Ldm.Allocate("b", ElementType.Float32, cpe.IdInGroup + 1);
            cpe.Fill(buffer.All, 1);
            return ValueTask.CompletedTask;
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.CoreGroup, Is.Zero);
            Assert.That(report.Cpes.Select(c => c.FillElements), Is.EqualTo(Enumerable.Range(1, 64).Select(i => (long)i)));
            Assert.That(report.Total.FillElements, Is.EqualTo(64 * 65 / 2));
        }
    }

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void AChipRunsAProgramOnEachOfTheChosenCoreGroups(EmulatorOptions options)
    {
        var chip = Chip(4, options);
        var results = chip.CoreGroups.Select(g => g.Memory.Allocate<double>("result", 64)).ToList();
        var report = chip.Run(group => async cpe =>
        {
            var cell = cpe.Ldm.Allocate("cell", ElementType.Float64, 1);
            cpe.Fill(cell.All, (group.Index * 100) + cpe.IdInGroup);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaPut(cell.All, results[group.Index].AtElement<double>(cpe.IdInGroup), reply);
            await cpe.DmaWait(reply, 1);
        }, groups: 3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.CoreGroups.Select(g => g.CoreGroup), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(report.Total.DmaPuts, Is.EqualTo(3 * 64));
            for (var g = 0; g < 4; g++)
            {
                var expected = g < 3 ? Enumerable.Range(0, 64).Select(i => (g * 100.0) + i) : Enumerable.Repeat(0.0, 64);
                Assert.That(results[g].AsSpan<double>().ToArray(), Is.EqualTo(expected), $"CG {g}");
            }
        }
    }

    [TestCase(0)]
    [TestCase(5)]
    public void AChipRunOnMissingCoreGroupsIsRefused(int groups)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Chip(4).Run(_ => Nothing, groups));
        Assert.That(error!.ParamName, Is.EqualTo("groups"));
    }

    [Test]
    public void AFailureInOneCoreGroupSurfacesAndEveryGroupIsJoined()
    {
        var chip = Chip(4, EmulatorOptions.Default);
        Throws<DeadlockException>(
            () => chip.Run(group => async cpe =>
            {
                if (group.Index == 2 && cpe.IdInGroup == 0)
                {
                    await cpe.RlcGet(RlcBus.Row);
                }
            }),
            EmulatorDiagnostics.Deadlock, "Deadlock in CG 2");
        Assert.That(chip.CoreGroups.Select(g => g.IsSpawned), Has.All.False);
    }

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void ACoreGroupRunsAgainAfterAFailedRun(EmulatorOptions options)
    {
        var group = Group(options);

        // Leave CPEs suspended in every way a failed run can: in a get, at a barrier, in a put, in MeshGemm.
        Assert.Throws<DeadlockException>(() => group.Run(async cpe =>
        {
            if (cpe.IdInGroup == 0)
            {
                await cpe.RlcGet(RlcBus.Row);
            }
        }));
        Assert.Throws<EmulatorException>(() => group.Run(async cpe =>
        {
            if (cpe.IdInGroup == 63)
            {
                throw new InvalidOperationException("late failure");
            }

            await cpe.Synchronize(SyncScope.Array);
        }));
        Assert.Throws<DeadlockException>(() => group.Run(async cpe =>
        {
            if (cpe.Id.Row == 1)
            {
                for (var i = 0; i < 8; i++)
                {
                    await cpe.RlcPut(RlcBus.Column, 0, Vector256.Create((double)i));
                }
            }
        }));

        // A healthy run that suspends every CPE in each of those ways must now work.
        var received = new double[64];
        var report = group.Run(async cpe =>
        {
            await cpe.Synchronize(SyncScope.Array);
            var a = cpe.Ldm.Allocate("a", ElementType.Float64, 16);
            var b = cpe.Ldm.Allocate("b", ElementType.Float64, 4);
            var c = cpe.Ldm.Allocate("c", ElementType.Float64, 64);
            cpe.Fill(a.All, 1);
            cpe.Fill(b.All, 1);
            cpe.Fill(c.All, 0); // LDM is not cleared between kernels
            await cpe.MeshGemm(128, 32, 8, a.All, b.All, c.All);
            if (cpe.Id.Column == 0)
            {
                await cpe.RlcPut(RlcBus.Row, Rlc.Broadcast, Vector256.Create(cpe.Ldm.Doubles(c.All)[0] + cpe.Id.Row));
            }
            else
            {
                received[cpe.IdInGroup] = (await cpe.RlcGet(RlcBus.Row))[0];
            }

            await cpe.Synchronize(SyncScope.Row);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Total.MeshGemmCalls, Is.EqualTo(64));
            for (var id = 0; id < 64; id++)
            {
                Assert.That(received[id], Is.EqualTo(id % 8 == 0 ? 0 : 8 + (id / 8)), Name(id / 8, id % 8));
            }
        }
    }

    [Test]
    public void TheMpeRunsNamedHostStepsOnTheGroupsMemory()
    {
        var group = Group();
        var buffer = group.Memory.Allocate<double>("x", 8);
        group.Mpe.Run("fill x", memory => memory.Buffers.Single(b => b.Name == "x").AsSpan<double>().Fill(3));
        group.Mpe.Run("double x", _ =>
        {
            foreach (ref var v in buffer.AsSpan<double>())
            {
                v *= 2;
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(buffer.AsSpan<double>().ToArray(), Has.All.EqualTo(6));
            Assert.That(group.Mpe.Steps.Select(s => s.Name), Is.EqualTo(new[] { "fill x", "double x" }));
        }
    }

    [Test]
    public void MainMemoryHandsOutZeroedAlignedBuffersUntilItIsFull()
    {
        var chip = new Sw26010Chip(Sw26010Spec.Default with { CoreGroups = 2, MemoryBytesPerCoreGroup = 1024 * 1024 }, EmulatorOptions.Sequential);
        var memory = chip.CoreGroups[1].Memory;
        var first = memory.Allocate<float>("first", 3);
        var second = memory.Allocate<double>("second", 1000);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Address - first.Address, Is.EqualTo(128), "aligned for DMA");
            Assert.That(first.Address, Is.Not.EqualTo(chip.CoreGroups[0].Memory.Allocate<float>("other", 1).Address), "groups have their own address ranges");
            Assert.That(second.AsSpan<double>().ToArray(), Is.All.Zero);
            Assert.That(memory.Buffers.Select(b => b.Name), Is.EqualTo(new[] { "first", "second" }));
        }

        Throws<EmulatorException>(
            () => memory.Allocate<double>("huge", 128 * 1024),
            EmulatorDiagnostics.MainMemoryExhausted, "CG 1", "'huge'", "1048576 bytes");
    }

    [Test]
    public void A_buffer_beyond_one_host_array_serves_a_timing_only_run_and_refuses_a_byte_view_past_a_span()
    {
        // 3 GB, as VGG-16's first layers take at batch 128 in double: no host memory is taken until data moves, and a
        // host view reaches int.MaxValue elements (a run that moves the data is the explicit LargeTensorTests).
        var chip = new Sw26010Chip(Sw26010Spec.Default, EmulatorOptions.Sequential with { TimingOnly = true });
        var memory = chip.CoreGroups[0].Memory;
        var big = memory.Allocate<double>("big", 3L << 27);
        Assert.That(big.ByteLength, Is.EqualTo(3L << 30));
        Assert.That(big.At(big.ByteLength - 8).ByteOffset, Is.EqualTo((3L << 30) - 8));
        var report = chip.CoreGroups[0].Run(cpe => cpe.Id is { Row: 0, Column: 0 } ? GetLast(cpe, big) : ValueTask.CompletedTask);
        Assert.That(report.Total.DmaGetBytes, Is.EqualTo(8));
        Throws<EmulatorException>(() => big.AsSpan<byte>(), EmulatorDiagnostics.BufferTooLargeToHold, "'big'", "CG 0", "holds 3221225472 elements of Byte", "at most 2147483647");

        static async ValueTask GetLast(ICpe cpe, GlobalBuffer buffer)
        {
            var ldm = cpe.Ldm.Allocate("x", ElementType.Float64, 1);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(ldm.All, buffer.At(buffer.ByteLength - 8), reply);
            await cpe.DmaWait(reply, 1);
        }
    }
}
