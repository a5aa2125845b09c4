using System.Runtime.Intrinsics;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>A CPE's local data memory: capacity, bounds, alignment, ownership and lifetime.</summary>
public sealed class LdmTests
{
    [Test]
    public void AllocationPastCapacityNamesTheCpeTheBufferAndTheSizes()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(2, 5, cpe =>
            {
                cpe.Ldm.Allocate("tile", ElementType.Float64, 7 * 1024); // 57344 bytes
                cpe.Ldm.Allocate("halo", ElementType.Float64, 1025);     // 8200 bytes: 8 too many
            })),
            EmulatorDiagnostics.LdmCapacityExceeded,
            Name(2, 5), "'halo'", "8200 bytes", "57344 of 65536 bytes", "'tile'");
    }

    [Test]
    public void EveryCpeMayFillItsWholeLdmButNotOneElementMore()
    {
        var group = Group();
        var report = group.Run(cpe =>
        {
            var all = cpe.Ldm.Allocate("all", ElementType.Float64, cpe.Spec.LdmBytes / sizeof(double));
            cpe.Fill(all.All, cpe.IdInGroup);
            return ValueTask.CompletedTask;
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Total.FillElements, Is.EqualTo(64L * 8192));
            Assert.That(group.LdmOf(7, 7).UsedBytes, Is.EqualTo(65536));
            Assert.That(group.LdmOf(7, 7).Doubles(group.LdmOf(7, 7).Buffers[0].All)[8191], Is.EqualTo(63));
        }

        Throws<EmulatorException>(
            () => group.Run(On(0, 0, cpe =>
            {
                cpe.Ldm.Allocate("all", ElementType.Float64, 8192);
                cpe.Ldm.Allocate("one", ElementType.Float32, 1);
            })),
            EmulatorDiagnostics.LdmCapacityExceeded, Name(0, 0), "'one'", "4 bytes", "0 are free");
    }

    [Test]
    public void AllocationsAreAlignedAndFreedSpaceIsReused()
    {
        var group = Group();
        var offsets = new List<int>();
        var used = new List<int>();
        group.Run(On(1, 1, cpe =>
        {
            var ldm = cpe.Ldm;
            var small = ldm.Allocate("small", ElementType.Float32, 3);      // 12 bytes at 0
            var aligned = ldm.Allocate("aligned", ElementType.Float64, 4);  // 32-byte aligned: at 32
            var packed = ldm.Allocate("packed", ElementType.Float32, 2, 4); // fits the gap at 12
            offsets.AddRange([small.ByteOffset, aligned.ByteOffset, packed.ByteOffset]);
            used.Add(ldm.UsedBytes);
            ldm.Free(aligned);
            used.Add(ldm.UsedBytes);
            var again = ldm.Allocate("again", ElementType.Float64, 2);
            offsets.Add(again.ByteOffset);
            used.Add(ldm.HighWaterBytes);
        }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(offsets, Is.EqualTo(new[] { 0, 32, 12, 32 }));
            Assert.That(used, Is.EqualTo(new[] { 12 + 32 + 8, 12 + 8, 12 + 32 + 8 }));
        }
    }

    [Test]
    public void ASliceOutsideItsBufferIsRefused()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(3, 0, cpe => cpe.Ldm.Allocate("x", ElementType.Float64, 16).Slice(10, 8))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(3, 0), "'x'", "[10, 18)", "16 Float64 elements");
        Throws<EmulatorException>(
            () => group.Run(On(3, 0, cpe => cpe.Ldm.Allocate("x", ElementType.Float64, 16).Slice(-1, 2))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(3, 0), "'x'", "[-1, 1)");
        Throws<EmulatorException>(
            () => group.Run(On(3, 0, cpe => cpe.Ldm.Allocate("x", ElementType.Float32, 16).Slice(4, 8).Slice(6, 4))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(3, 0), "'x'", "[6, 10)", "8-element span at element 4");
    }

    [Test]
    public void AVectorAccessPastTheEndIsRefused()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(0, 6, cpe => cpe.Ldm.LoadDoubleV4(cpe.Ldm.Allocate("v", ElementType.Float64, 16), 13))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(0, 6), "'v'", "element 13", "16 elements");
        Throws<EmulatorException>(
            () => group.Run(On(0, 6, cpe => cpe.Ldm.StoreDoubleV4(cpe.Ldm.Allocate("v", ElementType.Float64, 16), 16, Vector256<double>.One))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(0, 6), "'v'", "element 16");
        Throws<EmulatorException>(
            () => group.Run(On(0, 6, cpe => cpe.Ldm.LoadFloatV4(cpe.Ldm.Allocate("f", ElementType.Float32, 6), 4))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(0, 6), "'f'", "element 4", "6 elements");
        Throws<EmulatorException>(
            () => group.Run(On(0, 6, cpe => cpe.Ldm.LoadDoubleV4(cpe.Ldm.Allocate("v", ElementType.Float64, 16), -4))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(0, 6), "'v'", "element -4");
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void ADoubleVectorAtAnUnalignedElementIsRefused(int element)
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(5, 5, cpe => cpe.Ldm.LoadDoubleV4(cpe.Ldm.Allocate("acc", ElementType.Float64, 16), element))),
            EmulatorDiagnostics.MisalignedVectorAccess, Name(5, 5), "'acc'", $"element {element}", "32-byte");
    }

    [Test]
    public void AFloatVectorMustBeSixteenByteAligned()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(5, 5, cpe => cpe.Ldm.StoreFloatV4(cpe.Ldm.Allocate("f", ElementType.Float32, 16), 2, Vector128<float>.One))),
            EmulatorDiagnostics.MisalignedVectorAccess, Name(5, 5), "'f'", "element 2", "16-byte");
    }

    [Test]
    public void AlignedVectorsRoundTripThroughLdm()
    {
        var group = Group();
        var doubles = new double[8];
        var floats = new float[8];
        Vector256<double> loaded = default;
        group.Run(On(4, 2, cpe =>
        {
            var d = cpe.Ldm.Allocate("d", ElementType.Float64, 8);
            cpe.Ldm.StoreDoubleV4(d, 4, Vector256.Create(1.5, -2.5, 3.25, 1e300));
            loaded = cpe.Ldm.LoadDoubleV4(d, 4);
            cpe.Ldm.Doubles(d.All).CopyTo(doubles);
            var f = cpe.Ldm.Allocate("f", ElementType.Float32, 8);
            cpe.Ldm.StoreFloatV4(f, 4, Vector128.Create(1f, 2f, 3f, 4f));
            cpe.Ldm.Floats(f.All).CopyTo(floats);
        }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doubles, Is.EqualTo(new[] { 0, 0, 0, 0, 1.5, -2.5, 3.25, 1e300 }));
            Assert.That(loaded, Is.EqualTo(Vector256.Create(1.5, -2.5, 3.25, 1e300)));
            Assert.That(floats, Is.EqualTo(new[] { 0f, 0f, 0f, 0f, 1f, 2f, 3f, 4f }));
        }
    }

    [Test]
    public void AccessWithTheWrongElementTypeIsRefused()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(0, 1, cpe => cpe.Ldm.Floats(cpe.Ldm.Allocate("d", ElementType.Float64, 4).All))),
            EmulatorDiagnostics.PrimitiveMisuse, Name(0, 1), "'d'", "Float64", "Float32");
        Throws<EmulatorException>(
            () => group.Run(On(0, 1, cpe => cpe.Ldm.LoadDoubleV4(cpe.Ldm.Allocate("f", ElementType.Float32, 8), 0))),
            EmulatorDiagnostics.PrimitiveMisuse, Name(0, 1), "'f'");
    }

    [Test]
    public void ABufferMayNotBeUsedAfterItIsFreed()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(6, 3, cpe =>
            {
                var b = cpe.Ldm.Allocate("gone", ElementType.Float64, 8);
                cpe.Ldm.Free(b);
                cpe.Ldm.Doubles(b.All)[0] = 1;
            })),
            EmulatorDiagnostics.LdmOutOfBounds, Name(6, 3), "'gone'", "freed");
        Throws<EmulatorException>(
            () => group.Run(On(6, 3, cpe =>
            {
                var b = cpe.Ldm.Allocate("gone", ElementType.Float64, 8);
                cpe.Ldm.Free(b);
                cpe.Ldm.LoadDoubleV4(b, 0);
            })),
            EmulatorDiagnostics.LdmOutOfBounds, Name(6, 3), "'gone'", "freed");
        Throws<EmulatorException>(
            () => group.Run(On(6, 3, cpe =>
            {
                var b = cpe.Ldm.Allocate("gone", ElementType.Float64, 8);
                cpe.Ldm.Free(b);
                cpe.Ldm.Free(b);
            })),
            EmulatorDiagnostics.LdmOutOfBounds, Name(6, 3), "'gone'", "freed");
        Throws<EmulatorException>(
            () => group.Run(On(6, 3, cpe =>
            {
                var b = cpe.Ldm.Allocate("gone", ElementType.Float64, 8);
                cpe.Ldm.Free(b);
                cpe.Fill(b.All, 0);
            })),
            EmulatorDiagnostics.LdmOutOfBounds, Name(6, 3), "'gone'", "freed");
    }

    [Test]
    public void LdmDoesNotOutliveTheKernel()
    {
        var group = Group();
        LdmBuffer? first = null;
        group.Run(On(2, 2, cpe => first = cpe.Ldm.Allocate("kept", ElementType.Float64, 8)));
        Assert.That(group.LdmOf(2, 2).Buffers.Select(b => b.Name), Is.EqualTo(new[] { "kept" }), "inspectable between runs");

        Throws<EmulatorException>(
            () => group.Run(On(2, 2, cpe => cpe.Ldm.Doubles(first!.All))),
            EmulatorDiagnostics.LdmOutOfBounds, Name(2, 2), "'kept'", "freed");
        Assert.That(group.LdmOf(2, 2).Buffers, Is.Empty);
    }

    [Test]
    public void ACpeMayNotTouchAnotherCpesBuffer()
    {
        var group = Group();
        LdmBuffer? shared = null;
        CpeProgram program(Action<ICpe, LdmBuffer> trespass) => async cpe =>
        {
            if (cpe.IdInGroup == 0)
            {
                shared = cpe.Ldm.Allocate("mine", ElementType.Float64, 8);
            }

            await cpe.Synchronize(SyncScope.Array);
            if (cpe.Id is { Row: 3, Column: 4 })
            {
                trespass(cpe, shared!);
            }
        };

        var culprit = new[] { Name(3, 4), "'mine'", Name(0, 0) };
        Throws<EmulatorException>(() => group.Run(program((cpe, b) => cpe.Ldm.Doubles(b.All))), EmulatorDiagnostics.ForeignLdmAccess, culprit);
        Throws<EmulatorException>(() => group.Run(program((cpe, b) => cpe.Ldm.LoadDoubleV4(b, 0))), EmulatorDiagnostics.ForeignLdmAccess, culprit);
        Throws<EmulatorException>(() => group.Run(program((cpe, b) => cpe.Ldm.Free(b))), EmulatorDiagnostics.ForeignLdmAccess, culprit);
        Throws<EmulatorException>(() => group.Run(program((cpe, b) => cpe.Fill(b.All, 1))), EmulatorDiagnostics.ForeignLdmAccess, culprit);
        var source = group.Memory.Allocate<double>("src", 8);
        Throws<EmulatorException>(
            () => group.Run(program((cpe, b) => cpe.DmaGet(b.All, source.At(0), cpe.CreateReplyWord("r")))),
            EmulatorDiagnostics.ForeignLdmAccess, culprit);
    }

    [Test]
    public void ACpeMayNotUseAnotherCpesReplyWord()
    {
        var group = Group();
        ReplyWord? shared = null;
        CpeProgram program(Func<ICpe, ReplyWord, ValueTask> trespass) => async cpe =>
        {
            if (cpe.IdInGroup == 0)
            {
                shared = cpe.CreateReplyWord("done");
            }

            await cpe.Synchronize(SyncScope.Array);
            if (cpe.Id is { Row: 0, Column: 1 })
            {
                await trespass(cpe, shared!);
            }
        };

        var source = group.Memory.Allocate<double>("src", 4);
        var culprit = new[] { Name(0, 1), "reply word 'done' of " + Name(0, 0) };
        Throws<EmulatorException>(() => group.Run(program((cpe, r) => cpe.DmaWait(r, 0))), EmulatorDiagnostics.ForeignLdmAccess, culprit);
        Throws<EmulatorException>(
            () => group.Run(program((cpe, r) =>
            {
                cpe.DmaGet(cpe.Ldm.Allocate("l", ElementType.Float64, 4).All, source.At(0), r);
                return ValueTask.CompletedTask;
            })),
            EmulatorDiagnostics.ForeignLdmAccess, culprit);
    }
}
