using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>
/// A buffer held as a host array: what a CPE's DMA writes lands in the very array the host takes afterwards,
/// so a run hands its output out without a copy; a buffer held as words is not handed out as an array.
/// </summary>
public sealed class HostArrayTests
{
    [Test]
    public void A_put_into_a_host_array_buffer_lands_in_the_array_the_host_takes()
    {
        var group = Group();
        var output = group.Memory.AllocateHostArray<float>("output", 7);
        var before = output.HostArray<float>();

        group.Run(async cpe =>
        {
            if (cpe.Id is not { Row: 0, Column: 0 })
            {
                return;
            }

            var local = cpe.Ldm.Allocate("local", ElementType.Float32, 7);
            for (var i = 0; i < 7; i++)
            {
                cpe.Ldm.Floats(local.All)[i] = i + 0.5f;
            }

            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaPut(local.All, output.At(0), reply, 0, 0);
            await cpe.DmaWait(reply, 1);
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(output.HostArray<float>(), Is.SameAs(before), "the same array before and after the run");
            Assert.That(before, Is.EqualTo(new[] { 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f }));
            Assert.That(output.AsSpan<float>().ToArray(), Is.EqualTo(before), "the host view reads the same elements");
        }
    }

    [Test]
    public void A_buffer_held_as_words_is_not_handed_out_as_an_array()
    {
        var group = Group();
        var words = group.Memory.Allocate<double>("words", 4);

        var ex = Assert.Throws<InvalidOperationException>(() => words.HostArray<double>());

        Assert.That(ex!.Message, Does.Contain("'words'").And.Contain("UInt64").And.Contain("AllocateHostArray"));
    }

    [Test]
    public void A_host_array_past_the_largest_array_is_refused_with_its_size()
    {
        var group = Group();

        var ex = Assert.Throws<EmulatorException>(() => group.Memory.AllocateHostArray<float>("huge", (long)Array.MaxLength + 1));

        Assert.That(ex!.Message, Does.Contain("'huge'").And.Contain(EmulatorDiagnostics.BufferTooLargeToHold));
    }
}
