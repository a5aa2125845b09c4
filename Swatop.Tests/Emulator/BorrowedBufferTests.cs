using System.Numerics.Tensors;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>
/// A framework's dense tensor placed in main memory where it lies (<see cref="MainMemory.Borrow{T}"/>): the CPEs' DMA reads
/// the tensor itself, not a copy, and may not write it; and a buffer a run has let go refuses to be read.
/// </summary>
public sealed class BorrowedBufferTests
{
    [Test]
    public void A_get_from_a_borrowed_tensor_reads_the_tensor_itself()
    {
        var values = Enumerable.Range(0, 32).Select(i => (double)i).ToArray();
        var group = Group();
        var buffer = group.Memory.Borrow("input", Tensor.Create(values, [4, 8]));
        values[9] = -1;
        var got = new double[8];
        group.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 2, Column: 5 })
            {
                return;
            }

            var local = cpe.Ldm.Allocate("local", ElementType.Float64, 8);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(local.All, buffer.AtElement<double>(8), reply);
            await cpe.DmaWait(reply, 1);
            cpe.Ldm.Doubles(local.All).CopyTo(got);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(got, Is.EqualTo(new double[] { 8, -1, 10, 11, 12, 13, 14, 15 }), "the value written into the array after the buffer was placed is read: the buffer is the tensor");
            Assert.That(buffer.IsReadOnly);
            Assert.That(buffer.ByteLength, Is.EqualTo(32 * sizeof(double)));
            Assert.That(group.Memory.AllocatedBytes, Is.GreaterThanOrEqualTo(32 * sizeof(double)), "it takes the memory's addresses as an allocation does");
        }
    }

    [Test]
    public void A_put_into_a_borrowed_tensor_is_refused_and_leaves_it_as_it_was()
    {
        var values = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var group = Group();
        var buffer = group.Memory.Borrow("input", Tensor.Create(values, [16]));
        Throws<EmulatorException>(
            () => group.Run(On(4, 4, cpe =>
            {
                var local = cpe.Ldm.Allocate("local", ElementType.Float32, 8);
                cpe.DmaPut(local.All, buffer.At(0), cpe.CreateReplyWord("reply"));
            })),
            EmulatorDiagnostics.PutIntoReadOnlyBuffer, Name(4, 4), "'input'", "read-only", "never writes");
        Assert.That(values, Is.EqualTo(Enumerable.Range(0, 16).Select(i => (float)i).ToArray()));
    }

    [Test]
    public void A_strided_tensor_cannot_be_borrowed()
    {
        var strided = Tensor.Create(new double[40], [4, 8], [10, 1]);
        Assert.That(strided.IsDense, Is.False);
        var e = Assert.Throws<ArgumentException>(() => Group().Memory.Borrow("input", strided))!;
        Assert.That(e.Message, Does.Contain("strided"));
    }

    [Test]
    public void A_released_buffer_refuses_to_be_read_instead_of_reading_zeros()
    {
        var buffer = Group().Memory.Allocate<double>("share", 16);
        buffer.AsSpan<double>()[3] = 2;
        buffer.Release();
        var e = Assert.Throws<InvalidOperationException>(() => _ = buffer.AsSpan<double>()[3])!;
        Assert.That(e.Message, Does.Contain("'share'").And.Contain("released"));
    }
}
