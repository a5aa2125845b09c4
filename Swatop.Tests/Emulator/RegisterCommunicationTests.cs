using System.Diagnostics;
using System.Runtime.Intrinsics;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>Register communication along rows and columns: broadcasts, FIFO order, back-pressure, refused routes, deadlocks.</summary>
public sealed class RegisterCommunicationTests
{
    private const int Values = 6; // more than the FIFO holds, so broadcasters block and resume

    private static Vector256<double> Word(double x) => Vector256.Create(x, x + 0.25, -x, x * 3);

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void ARowBroadcastReachesTheSevenOthersInOrder(EmulatorOptions options)
    {
        // In row r the sender is column r: some receivers start before it, some after.
        var received = new List<Vector256<double>>[64];
        var group = Group(options);
        group.Run(async cpe =>
        {
            var mine = received[cpe.IdInGroup] = [];
            if (cpe.Id.Column == cpe.Id.Row)
            {
                for (var i = 0; i < Values; i++)
                {
                    await cpe.RlcPut(RlcBus.Row, Rlc.Broadcast, Word((cpe.Id.Row * 100) + i));
                }

                return;
            }

            for (var i = 0; i < Values; i++)
            {
                mine.Add(await cpe.RlcGet(RlcBus.Row));
            }
        });

        using (Assert.EnterMultipleScope())
        {
            for (var id = 0; id < 64; id++)
            {
                int row = id / 8, column = id % 8;
                var expected = row == column ? [] : Enumerable.Range(0, Values).Select(i => Word((row * 100) + i)).ToList();
                Assert.That(received[id], Is.EqualTo(expected), Name(row, column));
            }
        }
    }

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void AColumnBroadcastReachesTheSevenOthersInOrder(EmulatorOptions options)
    {
        var received = new List<Vector256<double>>[64];
        var group = Group(options);
        var report = group.Run(async cpe =>
        {
            var mine = received[cpe.IdInGroup] = [];
            if (cpe.Id.Row == 7 - cpe.Id.Column)
            {
                for (var i = 0; i < Values; i++)
                {
                    await cpe.RlcPut(RlcBus.Column, Rlc.Broadcast, Word((cpe.Id.Column * 100) + i));
                }

                return;
            }

            for (var i = 0; i < Values; i++)
            {
                mine.Add(await cpe.RlcGet(RlcBus.Column));
            }
        });

        using (Assert.EnterMultipleScope())
        {
            for (var id = 0; id < 64; id++)
            {
                int row = id / 8, column = id % 8;
                var sender = row == 7 - column;
                var expected = sender ? [] : Enumerable.Range(0, Values).Select(i => Word((column * 100) + i)).ToList();
                Assert.That(received[id], Is.EqualTo(expected), Name(row, column));
                Assert.That(report.Cpes[id].RlcPuts, Is.EqualTo(sender ? Values : 0), "a broadcast counts once");
                Assert.That(report.Cpes[id].RlcGets, Is.EqualTo(sender ? 0 : Values));
            }
        }
    }

    [Test]
    public void PointToPointPutsArriveInFifoOrderOnEachBus()
    {
        // (0, 5) hears (0, 0) on its row bus and (4, 5) on its column bus, and (0, 2) sends through RlcSend.
        var fromRow = new List<Vector256<double>>();
        var fromColumn = new List<Vector256<double>>();
        var group = Group();
        group.Run(async cpe =>
        {
            switch (cpe.Id)
            {
                case { Row: 0, Column: 0 }:
                    for (var i = 0; i < 10; i++)
                    {
                        await cpe.RlcPut(RlcBus.Row, 5, Word(i));
                    }

                    break;
                case { Row: 4, Column: 5 }:
                    for (var i = 0; i < 10; i++)
                    {
                        await cpe.RlcSend(new CpeId(0, 0, 5), Word(100 + i));
                    }

                    break;
                case { Row: 0, Column: 5 }:
                    for (var i = 0; i < 10; i++)
                    {
                        fromColumn.Add(await cpe.RlcGet(RlcBus.Column));
                        fromRow.Add(await cpe.RlcGet(RlcBus.Row));
                    }

                    break;
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromRow, Is.EqualTo(Enumerable.Range(0, 10).Select(i => Word(i))));
            Assert.That(fromColumn, Is.EqualTo(Enumerable.Range(100, 10).Select(i => Word(i))));
        }
    }

    [TestCase(4)]
    [TestCase(1)]
    [TestCase(2)]
    public void ASenderBlockedOnAFullFifoResumesWhenTheReceiverDrainsIt(int depth)
    {
        var spec = Sw26010Spec.Default with { CoreGroups = 1, RlcFifoDepth = depth };
        var group = new Sw26010Chip(spec, EmulatorOptions.Sequential).CoreGroups[0];
        var count = (3 * depth) + 2;
        var sent = 0;
        var backlog = new List<int>();
        var received = new List<Vector256<double>>();
        group.Run(async cpe =>
        {
            if (cpe.Id is { Row: 0, Column: 0 })
            {
                for (var i = 0; i < count; i++)
                {
                    await cpe.RlcPut(RlcBus.Row, 1, Word(i));
                    sent++;
                }
            }
            else if (cpe.Id is { Row: 0, Column: 1 })
            {
                for (var i = 0; i < count; i++)
                {
                    backlog.Add(sent - received.Count);
                    received.Add(await cpe.RlcGet(RlcBus.Row));
                }
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(Enumerable.Range(0, count).Select(i => Word(i))), "nothing lost, nothing reordered");
            Assert.That(backlog, Has.All.LessThanOrEqualTo(depth), "never more than the FIFO holds");
            Assert.That(backlog[0], Is.EqualTo(depth), "the sender ran first, filled the FIFO and waited");
            Assert.That(sent, Is.EqualTo(count));
        }
    }

    [Test]
    public void RlcSendRoutesAlongTheSharedRowOrColumn()
    {
        Vector256<double> onRow = default, onColumn = default;
        var group = Group();
        group.Run(async cpe =>
        {
            switch (cpe.Id)
            {
                case { Row: 2, Column: 2 }:
                    await cpe.RlcSend(new CpeId(0, 2, 6), Word(1));
                    await cpe.RlcSend(new CpeId(0, 6, 2), Word(2));
                    break;
                case { Row: 2, Column: 6 }:
                    onRow = await cpe.RlcGet(RlcBus.Row);
                    break;
                case { Row: 6, Column: 2 }:
                    onColumn = await cpe.RlcGet(RlcBus.Column);
                    break;
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(onRow, Is.EqualTo(Word(1)));
            Assert.That(onColumn, Is.EqualTo(Word(2)));
        }
    }

    [TestCase(3, 4, "row or a column")]
    [TestCase(1, 2, "does not send to itself")]
    public void RlcSendToACpeOffTheRowAndColumnIsRefused(int row, int column, string why)
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(1, 2, cpe => cpe.RlcSend(new CpeId(0, row, column), Word(0)).AsTask().GetAwaiter().GetResult())),
            EmulatorDiagnostics.RlcRouteRefused, $"{Name(1, 2)} cannot send a register to {Name(row, column)}", why);
    }

    [Test]
    public void RlcSendToAnotherCoreGroupIsRefused()
    {
        var chip = Chip(2);
        Throws<EmulatorException>(
            () => chip.CoreGroups[0].Run(On(1, 2, cpe => cpe.RlcSend(new CpeId(1, 1, 3), Word(0)).AsTask().GetAwaiter().GetResult())),
            EmulatorDiagnostics.RlcRouteRefused, Name(1, 2, 0), Name(1, 3, 1), "inside a core group");
    }

    [TestCase(RlcBus.Row, 9, "column 9")]
    [TestCase(RlcBus.Row, -1, "column -1")]
    [TestCase(RlcBus.Row, 2, "column 2")]
    [TestCase(RlcBus.Column, 8 + 1, "row 9")]
    [TestCase(RlcBus.Column, 1, "row 1")]
    public void RlcPutToAMissingDestinationOrToItselfIsRefused(RlcBus bus, int destination, string named)
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(1, 2, cpe => cpe.RlcPut(bus, destination, Word(0)).AsTask().GetAwaiter().GetResult())),
            EmulatorDiagnostics.RlcRouteRefused, Name(1, 2), named, "0..7");
    }

    [TestCaseSource(typeof(EmulatorHarness), nameof(Modes))]
    public void AGetWithNoPutIsADeadlockFoundAtOnce(EmulatorOptions options)
    {
        var group = Group(options);
        var clock = Stopwatch.StartNew();
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                if (cpe.Id is { Row: 5, Column: 6 })
                {
                    await cpe.RlcGet(RlcBus.Column);
                }
            }),
            EmulatorDiagnostics.Deadlock, "CG 0", "CPE (5, 6)", "column bus", "63 CPEs had finished");
        clock.Stop();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(error.BlockedCpes, Is.EqualTo(new[] { new CpeId(0, 5, 6) }));
        }
    }

    [Test]
    public void APutOnTheWrongBusLeavesTheGetterWaiting()
    {
        var group = Group();
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                if (cpe.Id is { Row: 0, Column: 0 })
                {
                    await cpe.RlcPut(RlcBus.Row, 1, Word(0));
                }
                else if (cpe.Id is { Row: 0, Column: 1 })
                {
                    await cpe.RlcGet(RlcBus.Column);
                }
            }),
            EmulatorDiagnostics.Deadlock, "CPE (0, 1)");
        Assert.That(error.BlockedCpes, Is.EqualTo(new[] { new CpeId(0, 0, 1) }));
    }

    [Test]
    public void ASenderWhoseReceiverNeverDrainsIsADeadlock()
    {
        var group = Group();
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                if (cpe.Id is { Row: 3, Column: 3 })
                {
                    for (var i = 0; i <= cpe.Spec.RlcFifoDepth; i++)
                    {
                        await cpe.RlcPut(RlcBus.Column, 6, Word(i));
                    }
                }
            }),
            EmulatorDiagnostics.Deadlock, "CPE (3, 3)", "row 6", "column bus", "full receive buffer");
        Assert.That(error.BlockedCpes, Is.EqualTo(new[] { new CpeId(0, 3, 3) }));
    }
}
