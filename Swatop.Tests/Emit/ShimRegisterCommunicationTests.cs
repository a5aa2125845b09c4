using System.Runtime.Intrinsics;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emit;

/// <summary>The shim's register communication: row and column broadcasts through bounded FIFOs, point to point, counted as the emulator counts.</summary>
public sealed class ShimRegisterCommunicationTests
{
    private const int Words = 6; // more than a FIFO holds, so broadcasters block and resume
    private const int Slots = (2 * Words) + 2;

    private static double[] Word(double x) => [x, x + 0.25, -x, x * 3];

    [Test]
    public void EveryCpeGetsWhatItsRowAndColumnLeadersAndItsNeighboursSent()
    {
        using var build = GccShim.Build("rlc_broadcast", ShimPrograms.Files("rlc_broadcast.c"));
        var run = build.Run();

        var expected = new double[64 * Slots * 4];
        for (var id = 0; id < 64; id++)
        {
            int row = id / 8, column = id % 8;
            for (var i = 0; i < Words; i++)
            {
                if (column != row)
                {
                    Word((row * 100) + i).CopyTo(expected, ((id * Slots) + i) * 4);
                }

                if (row != 7 - column)
                {
                    Word(1000 + (column * 100) + i).CopyTo(expected, ((id * Slots) + Words + i) * 4);
                }
            }

            Word(5000 + (row * 8) + ((column + 7) % 8)).CopyTo(expected, ((id * Slots) + (2 * Words)) * 4);
            Word(5000 + (((row + 7) % 8) * 8) + column).CopyTo(expected, ((id * Slots) + (2 * Words) + 1) * 4);
        }

        build.CompareBits("result.bin (the words each CPE received)", expected, build.ReadDoubles("result.bin"));
        using (Assert.EnterMultipleScope())
        {
            foreach (var cpe in run.Counts)
            {
                bool rowLeader = cpe.Column == cpe.Row, columnLeader = cpe.Row == 7 - cpe.Column;
                Assert.That(cpe.Activity.RlcPuts, Is.EqualTo((rowLeader ? Words : 0) + (columnLeader ? Words : 0) + 2), $"{cpe.Cpe}: a broadcast counts once");
                Assert.That(cpe.Activity.RlcGets, Is.EqualTo((rowLeader ? 0 : Words) + (columnLeader ? 0 : Words) + 2), cpe.Cpe.ToString());
            }
        }

        build.CompareCounts(run, Emulate(), simd: false); // the program's own vectors are no primitive's
    }

    /// <summary>The same exchanges on the emulator, for its counts.</summary>
    private static IReadOnlyList<CpeActivity> Emulate()
    {
        var group = Group();
        var result = group.Memory.Allocate<double>("result", 64 * Slots * 4);
        var report = group.Run(async cpe =>
        {
            int row = cpe.Id.Row, column = cpe.Id.Column;
            var got = cpe.Ldm.Allocate("got", ElementType.Float64, Slots * 4);
            for (var i = 0; i < Words; i++)
            {
                if (column == row)
                {
                    await cpe.RlcPut(RlcBus.Row, Rlc.Broadcast, Vector256.Create(Word((row * 100) + i)));
                }
                else
                {
                    await cpe.RlcGet(RlcBus.Row);
                }
            }

            for (var i = 0; i < Words; i++)
            {
                if (row == 7 - column)
                {
                    await cpe.RlcPut(RlcBus.Column, Rlc.Broadcast, Vector256.Create(Word(1000 + (column * 100) + i)));
                }
                else
                {
                    await cpe.RlcGet(RlcBus.Column);
                }
            }

            var mine = Vector256.Create(Word(5000 + cpe.IdInGroup));
            await cpe.RlcPut(RlcBus.Row, (column + 1) % 8, mine);
            await cpe.RlcGet(RlcBus.Row);
            await cpe.RlcPut(RlcBus.Column, (row + 1) % 8, mine);
            await cpe.RlcGet(RlcBus.Column);

            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaPut(got.All, result.AtElement<double>(cpe.IdInGroup * Slots * 4), reply);
            await cpe.DmaWait(reply, 1);
        });
        return report.Cpes;
    }
}
