using Swatop.Hardware.Sw26010.Emit.Verification;
namespace Swatop.Tests.Emit;

/// <summary>The shim's <c>athread_syn</c>: what a CPE put before the barrier is there for its group after it.</summary>
public sealed class ShimBarrierTests
{
    [Test]
    public void ValuesPutBeforeABarrierAreSeenAfterItInEveryScope()
    {
        // One CPE of every group arrives 20 ms late; without the barriers the others would read too early.
        using var build = GccShim.Build("syn_order", ShimPrograms.Files("syn_order.c"));
        var run = build.Run();

        Assert.That(run.StandardOutput.Trim(), Is.EqualTo("violations 0"));
        using (Assert.EnterMultipleScope())
        {
            foreach (var cpe in run.Counts)
            {
                Assert.That(cpe.Activity.Synchronizations, Is.EqualTo(3), $"{cpe.Cpe}: ARRAY_SCOPE, ROW_SCOPE, COL_SCOPE");
                Assert.That(cpe.Activity.DmaGets, Is.EqualTo(3), cpe.Cpe.ToString());
                Assert.That(cpe.Activity.DmaPuts, Is.EqualTo(4), cpe.Cpe.ToString());
                Assert.That(cpe.Activity.DmaBlocks, Is.EqualTo(4 + 1 + 1 + 8), $"{cpe.Cpe}: the column is read as 8 blocks");
                Assert.That(cpe.Activity.DmaWaits, Is.EqualTo(7), cpe.Cpe.ToString());
            }
        }
    }
}
