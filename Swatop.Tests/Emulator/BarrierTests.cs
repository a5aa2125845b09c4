using Swatop.Hardware.Sw26010.Emulation;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>athread_syn barriers of row, column and array scope.</summary>
public sealed class BarrierTests
{
    private const int Rounds = 3;

    public static IEnumerable<TestCaseData> ScopesAndModes =>
        from scope in new[] { SyncScope.Row, SyncScope.Column, SyncScope.Array }
        from options in Modes
        select new TestCaseData(scope, options);

    private static int LineOf(CpeId id, SyncScope scope) => scope switch
    {
        SyncScope.Row => id.Row,
        SyncScope.Column => id.Column,
        _ => 0,
    };

    [TestCaseSource(nameof(ScopesAndModes))]
    public void NoCpeLeavesABarrierBeforeItsWholeScopeArrived(SyncScope scope, EmulatorOptions options)
    {
        var members = scope == SyncScope.Array ? 64 : 8;
        var arrived = new int[Rounds, 8];
        var seen = new int[Rounds, 64];
        var group = Group(options);
        var report = group.Run(async cpe =>
        {
            var line = LineOf(cpe.Id, scope);
            for (var round = 0; round < Rounds; round++)
            {
                arrived[round, line]++;
                await cpe.Synchronize(scope);
                seen[round, cpe.IdInGroup] = arrived[round, line];
            }
        });

        using (Assert.EnterMultipleScope())
        {
            for (var round = 0; round < Rounds; round++)
            {
                for (var id = 0; id < 64; id++)
                {
                    Assert.That(seen[round, id], Is.EqualTo(members), $"round {round}, {Name(id / 8, id % 8)}");
                }
            }

            Assert.That(report.Cpes.Select(c => c.Synchronizations), Has.All.EqualTo(Rounds));
        }
    }

    [Test]
    public void ARowBarrierOneCpeNeverReachesIsADeadlock()
    {
        var group = Group();
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                if (cpe.Id.Row == 3 && cpe.Id.Column != 7)
                {
                    await cpe.Synchronize(SyncScope.Row);
                }
            }),
            EmulatorDiagnostics.Deadlock, "CG 0", "7 of 64 CPEs wait", "CPE (3, 0)", "barrier of row 3");
        Assert.That(error.BlockedCpes, Is.EquivalentTo(Enumerable.Range(0, 7).Select(c => new CpeId(0, 3, c))));
    }

    [Test]
    public void AColumnBarrierOneCpeNeverReachesIsADeadlock()
    {
        var group = Group();
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                if (cpe.Id.Column == 2 && cpe.Id.Row != 0)
                {
                    await cpe.Synchronize(SyncScope.Column);
                }
            }),
            EmulatorDiagnostics.Deadlock, "CPE (1, 2)", "barrier of column 2");
        Assert.That(error.BlockedCpes, Has.Count.EqualTo(7));
    }

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void AnArrayBarrierOneCpeSkipsIsADeadlock(EmulatorOptions options)
    {
        var group = Group(options);
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                if (cpe.Id is not { Row: 7, Column: 7 })
                {
                    await cpe.Synchronize(SyncScope.Array);
                }
            }),
            EmulatorDiagnostics.Deadlock, "63 of 64 CPEs wait", "barrier of the mesh", "1 CPEs had finished");
        Assert.That(error.BlockedCpes, Has.Count.EqualTo(63).And.No.Member(new CpeId(0, 7, 7)));
    }

    [Test]
    public void BarriersOfDifferentScopesDoNotStandInForEachOther()
    {
        // Row 0 waits at its column barriers, everyone else at the array barrier, which row 0 never joins.
        var group = Group();
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe => await cpe.Synchronize(cpe.Id.Row == 0 ? SyncScope.Column : SyncScope.Array)),
            EmulatorDiagnostics.Deadlock, "64 of 64 CPEs wait", "barrier of column 0");
        Assert.That(error.BlockedCpes, Has.Count.EqualTo(64));
    }
}
