using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>A compiled kernel that races is stopped, and the report names the kernel, the CPE and both statements.</summary>
public sealed class CompiledKernelRaceTests
{
    private static readonly LdmRef T = new("t", 0, 64);

    private static DmaGet Get(LdmRef target) => new DmaGet(target, "in", 0, 0, 0, "r");

    private static DmaPut Put(LdmRef source) => new DmaPut(source, "out", 0, 0, 0, "r");

    private static void Run(Stmt body, EmulatorOptions? options = null)
    {
        var kernel = new LoopKernel("k", ElementType.Float64, [new("in", 64 * 64, false), new("out", 64 * 64, true)],
            [new("t", 64), new("u", 64)], ["r"], body);
        var group = Group(options);
        var program = CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer>
        {
            ["in"] = group.Memory.Allocate<double>("in", 64 * 64),
            ["out"] = group.Memory.Allocate<double>("out", 64 * 64),
        });
        group.Run(program);
    }

    [Test]
    public void AFillBeforeTheGetsWaitNamesBothStatements([Values] bool timingOnly)
    {
        var error = Throws<DmaRaceException>(() => Run(Block.Of(new ResetReply("r"), Get(T), new Fill(new LdmRef("t", 8, 8), 0), new DmaWait("r")),
                EmulatorOptions.Sequential with { TimingOnly = timingOnly, DmaRaceChecks = timingOnly ? DmaRaceChecks.Always : DmaRaceChecks.FullRuns }),
            EmulatorDiagnostics.PendingGetTouched, "Kernel 'k' on CPE (0, 0) of CG 0",
            "Fill `fill t[8 +: 8] = 0` writing LDM bytes [64, 128) of buffer 't'",
            "while DMA get `get t[0 +: 64] <- in[0] block 0 gap 0 reply r` writing LDM bytes [0, 512) of buffer 't' (reply word 'r', transfer 1 since the word's reset) is outstanding");
        Assert.That(error.Kernel, Is.EqualTo("k"));
    }

    [Test]
    public void ATransposeIntoThePutsSourceBeforeItsWaitIsNamed() =>
        Throws<DmaRaceException>(() => Run(Block.Of(new ResetReply("r"), Put(T), new Transpose(new LdmRef("t", 0, 16), new LdmRef("u", 0, 16), 4, 4), new DmaWait("r"))),
            EmulatorDiagnostics.PendingPutSourceWritten, "Kernel 'k'", "Transpose target `transpose", "writing LDM bytes [0, 128) of buffer 't'",
            "DMA put `put t[0 +: 64] -> out[0] block 0 gap 0 reply r` reading LDM bytes [0, 512) of buffer 't'");

    [Test]
    public void AGetIntoTheNextHalfWhileAPutStillReadsItIsNamed() =>
        Throws<DmaRaceException>(() => Run(Block.Of(new ResetReply("r"), Put(new LdmRef("t", 0, 32)), Get(new LdmRef("t", 16, 32)), new DmaWait("r"))),
            EmulatorDiagnostics.OverlappingTransfers, "Kernel 'k'", "DMA get `get t[16 +: 32] <- in[0] block 0 gap 0 reply r` writing LDM bytes [128, 384) of buffer 't' (reply word 'r', transfer 2",
            "DMA put `put t[0 +: 32] -> out[0] block 0 gap 0 reply r` reading LDM bytes [0, 256)");

    [Test]
    public void AWaitedTransferIsNoRace() =>
        Assert.DoesNotThrow(() => Run(Block.Of(new ResetReply("r"), Get(T), new DmaWait("r"), new Fill(T, 0), new ResetReply("r"), Put(T), new DmaWait("r"), new Fill(T, 1))));

    [Test]
    public void A_kernel_that_ends_before_its_put_is_waited_for_is_named() =>
        Throws<DmaRaceException>(() => Run(Block.Of(new ResetReply("r"), Put(T))),
            EmulatorDiagnostics.TransferOutstandingAtEnd, "Kernel 'k' on CPE (0, 0) of CG 0", "the end of the program",
            "(1 transfer outstanding)", "DMA put `put t[0 +: 64] -> out[0] block 0 gap 0 reply r` reading LDM bytes [0, 512) of buffer 't'",
            "a kernel may not end while a transfer it issued is outstanding");
}
