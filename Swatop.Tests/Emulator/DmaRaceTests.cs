using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>
/// The race rules: LDM an outstanding get fills may not be touched, the source of an outstanding put
/// may not be written, and outstanding transfers may not overlap where one writes, until a wait
/// covers them. Each rule is broken by a hand-written program and reported with both accesses.
/// </summary>
public sealed class DmaRaceTests
{
    private const string Cpe = "CPE (1, 2) of CG 0";

    // One CPE, (1, 2), runs the body with a 64-double buffer 'a' at LDM byte 0 and a 64-double buffer 'b' at byte 512.
    private static CoreGroupRunReport RunOnOneCpe(Func<ICpe, LdmBuffer, LdmBuffer, ReplyWord, GlobalBuffer, ValueTask> body, EmulatorOptions? options = null)
    {
        var group = Group(options);
        var memory = group.Memory.Allocate<double>("memory", 256);
        return group.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 1, Column: 2 })
            {
                return;
            }

            var a = cpe.Ldm.Allocate("a", ElementType.Float64, 64);
            var b = cpe.Ldm.Allocate("b", ElementType.Float64, 64);
            await body(cpe, a, b, cpe.CreateReplyWord("reply"), memory);
        });
    }

    [Test]
    public void AFillOfARangeAGetStillFillsIsARace()
    {
        var error = Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaGet(a.All, memory.At(0), reply);
            cpe.Fill(a.Slice(8, 8), 0);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.PendingGetTouched, Cpe,
            "Fill writing LDM bytes [64, 128) of buffer 'a'",
            "while DMA get writing LDM bytes [0, 512) of buffer 'a' (reply word 'reply', transfer 1 since the word's reset) is outstanding",
            "may not be read or written until a DMA wait on its reply word covers the get");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Cpe, Is.EqualTo(new CpeId(0, 1, 2)));
            Assert.That(error.Kernel, Is.Null);
            Assert.That(error.Pending, Is.EqualTo(new LdmAccess("DMA get", "a", 0, 512, true, null, "reply word 'reply', transfer 1 since the word's reset")));
            Assert.That(error.Conflicting, Is.EqualTo(new LdmAccess("Fill", "a", 64, 128, true, null)));
        }
    }

    [Test]
    public void ReadingARangeAGetStillFillsIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, b, reply, memory) =>
        {
            cpe.DmaGet(a.Slice(0, 16), memory.At(0), reply);
            cpe.Transpose(a.Slice(12, 16), b.Slice(0, 16), 4, 4);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.PendingGetTouched, Cpe, "Transpose source reading LDM bytes [96, 224) of buffer 'a'", "DMA get writing LDM bytes [0, 128) of buffer 'a'");

    [Test]
    public void AVectorLoadOfARangeAGetStillFillsIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaGet(a.All, memory.At(0), reply);
            cpe.Ldm.LoadDoubleV4(a, 4);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.PendingGetTouched, Cpe, "a vector load reading LDM bytes [32, 64) of buffer 'a'");

    [Test]
    public void AnElementwiseOperandAGetStillFillsIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, b, reply, memory) =>
        {
            cpe.DmaGet(b.Slice(0, 8), memory.At(0), reply);
            cpe.Elementwise(ElementwiseOp.Add, a.Slice(0, 8), ElementwiseSource.Of(b.Slice(0, 8)));
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.PendingGetTouched, Cpe, "Elementwise operand reading LDM bytes [512, 576) of buffer 'b'");

    [Test]
    public void ACopyReadsItsBlocksExtentAndRacesWithAGetThere()
    {
        // 4 blocks of 2 with gaps of 4 read elements [0, 20) of the 48 given: a get past them is no race, one inside them is.
        static Func<ICpe, LdmBuffer, LdmBuffer, ReplyWord, GlobalBuffer, ValueTask> CopyAfterGetAt(int element) => (cpe, a, b, reply, memory) =>
        {
            cpe.DmaGet(a.Slice(element, 8), memory.At(0), reply);
            cpe.Copy(a.Slice(0, 48), b.Slice(0, 8), 2, 4);
            return cpe.DmaWait(reply, 1);
        };

        Assert.DoesNotThrow(() => RunOnOneCpe(CopyAfterGetAt(40)));
        Throws<DmaRaceException>(() => RunOnOneCpe(CopyAfterGetAt(16)), EmulatorDiagnostics.PendingGetTouched, Cpe,
            "Copy source reading LDM bytes [0, 160) of buffer 'a'", "DMA get writing LDM bytes [128, 192) of buffer 'a'");
    }

    [Test]
    public void AConvertIntoThePutsSourceIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            var single = cpe.Ldm.Allocate("single", ElementType.Float32, 16);
            cpe.DmaPut(a.Slice(0, 16), memory.At(0), reply);
            cpe.Convert(single.All, a.Slice(8, 16));
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.PendingPutSourceWritten, Cpe, "Convert target writing LDM bytes [64, 192) of buffer 'a'", "DMA put reading LDM bytes [0, 128) of buffer 'a'");

    [Test]
    public void AMeshGemmOperandAGetStillFillsIsARace()
    {
        // C (128 x 32) += A (128 x 8) * B (8 x 32): blocks of 16 x 1, 1 x 4 and 16 x 4 doubles.
        var group = Group();
        var memory = group.Memory.Allocate<double>("memory", 64);
        Throws<DmaRaceException>(() => group.Run(async cpe =>
        {
            var a = cpe.Ldm.Allocate("a", ElementType.Float64, 16);
            var b = cpe.Ldm.Allocate("b", ElementType.Float64, 4);
            var c = cpe.Ldm.Allocate("c", ElementType.Float64, 64);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(a.All, memory.At(0), reply);
            await cpe.MeshGemm(128, 32, 8, a.All, b.All, c.All);
        }), EmulatorDiagnostics.PendingGetTouched, "MeshGemm operand A reading LDM bytes [0, 128) of buffer 'a'", "DMA get writing LDM bytes [0, 128) of buffer 'a'");
    }

    [Test]
    public void WritingThePutsSourceBeforeItsWaitIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaPut(a.Slice(0, 32), memory.At(0), reply);
            cpe.Fill(a.Slice(24, 16), 1);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.PendingPutSourceWritten, Cpe,
            "Fill writing LDM bytes [192, 320) of buffer 'a'",
            "while DMA put reading LDM bytes [0, 256) of buffer 'a' (reply word 'reply', transfer 1 since the word's reset) is outstanding",
            "the LDM source of an outstanding put may not be written until a DMA wait on its reply word covers the put");

    [Test]
    public void AVectorStoreIntoThePutsSourceIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaPut(a.All, memory.At(0), reply);
            cpe.Ldm.StoreDoubleV4(a, 60, default);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.PendingPutSourceWritten, Cpe, "a vector store writing LDM bytes [480, 512) of buffer 'a'");

    [Test]
    public void AGetIntoThePutsSourceIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaPut(a.All, memory.At(0), reply);
            cpe.DmaGet(a.Slice(32, 8), memory.At(1024), reply);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.OverlappingTransfers, Cpe,
            "DMA get writing LDM bytes [256, 320) of buffer 'a' (reply word 'reply', transfer 2 since the word's reset)",
            "while DMA put reading LDM bytes [0, 512) of buffer 'a' (reply word 'reply', transfer 1 since the word's reset) is outstanding",
            "two outstanding transfers may not overlap in LDM where one of them writes it");

    [Test]
    public void TwoGetsIntoOneRangeAreARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            var other = cpe.CreateReplyWord("other");
            cpe.DmaGet(a.Slice(0, 16), memory.At(0), reply);
            cpe.DmaGet(a.Slice(8, 16), memory.At(0), other);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.OverlappingTransfers, Cpe, "DMA get writing LDM bytes [64, 192) of buffer 'a' (reply word 'other', transfer 1", "DMA get writing LDM bytes [0, 128) of buffer 'a' (reply word 'reply'");

    [Test]
    public void APutFromARangeAGetStillFillsIsARace() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaGet(a.All, memory.At(0), reply);
            cpe.DmaPut(a.Slice(0, 8), memory.At(1024), reply);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.OverlappingTransfers, Cpe, "DMA put reading LDM bytes [0, 64) of buffer 'a'", "DMA get writing LDM bytes [0, 512) of buffer 'a'");

    [Test]
    public void AResetBeforeTheWaitLeavesTheGetOutstandingForGood() =>
        Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaGet(a.All, memory.At(0), reply);
            reply.Reset();
            cpe.DmaGet(a.Slice(0, 8), memory.At(0), cpe.CreateReplyWord("second"));
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.OverlappingTransfers, Cpe, "transfer 1 before a reset of the word that came ahead of any wait covering it, so no wait can cover it now");

    [Test]
    public void WhatAWaitCoversIsFreeAndWhatItDoesNotIsNot()
    {
        // Reading a put's source, putting one range twice, and touching what a wait covered are all allowed;
        // a wait for one reply covers the first transfer only.
        Assert.DoesNotThrow(() => RunOnOneCpe(async (cpe, a, b, reply, memory) =>
        {
            cpe.DmaPut(a.All, memory.At(0), reply);
            cpe.DmaPut(a.Slice(0, 16), memory.At(1024), reply);
            cpe.Transpose(a.Slice(0, 16), b.Slice(0, 16), 4, 4);
            await cpe.DmaWait(reply, 2);
            cpe.Fill(a.All, 0);
            reply.Reset();
            cpe.DmaGet(a.Slice(0, 8), memory.At(0), reply);
            cpe.DmaGet(a.Slice(8, 8), memory.At(0), reply);
            cpe.Fill(a.Slice(16, 48), 0);
            await cpe.DmaWait(reply, 2);
            cpe.Fill(a.All, 0);
        }));
        Throws<DmaRaceException>(() => RunOnOneCpe(async (cpe, a, _, reply, memory) =>
        {
            cpe.DmaGet(a.Slice(0, 8), memory.At(0), reply);
            cpe.DmaGet(a.Slice(8, 8), memory.At(0), reply);
            await cpe.DmaWait(reply, 1);
            cpe.Fill(a.Slice(0, 8), 0);
            cpe.Fill(a.Slice(8, 8), 0);
        }), EmulatorDiagnostics.PendingGetTouched, "Fill writing LDM bytes [64, 128)", "transfer 2 since the word's reset");
    }

    [Test]
    public void FullRunsCheckByDefaultTimingOnlyRunsWhenAskedAndTheChecksChangeNoCycle()
    {
        static ValueTask Racy(ICpe cpe, LdmBuffer a, LdmBuffer b, ReplyWord reply, GlobalBuffer memory)
        {
            cpe.DmaGet(a.All, memory.At(0), reply);
            cpe.Fill(a.All, 0);
            return ValueTask.CompletedTask;
        }

        Throws<DmaRaceException>(() => RunOnOneCpe(Racy), EmulatorDiagnostics.PendingGetTouched, Cpe);
        Throws<DmaRaceException>(() => RunOnOneCpe(Racy, EmulatorOptions.Sequential with { TimingOnly = true, DmaRaceChecks = DmaRaceChecks.Always }),
            EmulatorDiagnostics.PendingGetTouched, Cpe);
        var timed = RunOnOneCpe(Racy, EmulatorOptions.Sequential with { TimingOnly = true });
        var free = RunOnOneCpe(Racy, EmulatorOptions.Sequential with { DmaRaceChecks = DmaRaceChecks.Off });
        Assert.That(free.Profile.KernelCycles, Is.EqualTo(timed.Profile.KernelCycles), "the checks change no cycle");
    }

    [Test]
    public void AProgramThatEndsBeforeItsGetIsWaitedForIsARace()
    {
        var error = Throws<DmaRaceException>(() => RunOnOneCpe((cpe, a, _, reply, memory) =>
        {
            cpe.DmaGet(a.All, memory.At(0), reply);
            return ValueTask.CompletedTask;
        }), EmulatorDiagnostics.TransferOutstandingAtEnd, Cpe,
            "the end of the program reading LDM bytes [0, 512) of buffer 'a' (1 transfer outstanding)",
            "while DMA get writing LDM bytes [0, 512) of buffer 'a' (reply word 'reply', transfer 1 since the word's reset) is outstanding",
            "wait for every get and put before the kernel returns");
        Assert.That(error.Kernel, Is.Null);
    }
}
