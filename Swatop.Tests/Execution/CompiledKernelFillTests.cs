using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>Fill and put kernels: element sizes, strided puts, let bindings, conditionals and planned LDM offsets.</summary>
public sealed class CompiledKernelFillTests
{
    private const int Cpes = 64;

    /// <summary>
    /// Every CPE fills 32 elements with its id and 32 with -1, then puts them as 4 blocks of 16 with
    /// gaps of 16: its 128-element stripe of the output, every other run of 16 written.
    /// </summary>
    private static LoopKernel FillAndPut(ElementType type, long planned = -1) =>
        new("fill_put", type, [new("out", Cpes * 128, true)], [new("t", 64, Offset: planned)], ["r"],
            new Let("id", (Var.Row * 8) + Var.Column, Block.Of(
                new Conditional(Expr.Equal(Var.Group, 0), new Fill(new LdmRef("t", 0, 32), 2.5)),
                new ForLoop("half", 2, new Conditional(Expr.Equal(new Var("half"), 1), new Fill(new LdmRef("t", 32, 32), -1.0))),
                new ResetReply("r"),
                new DmaPut(new LdmRef("t", 0, 64), "out", new Var("id") * 128, 16, 16, "r"),
                new DmaWait("r"))));

    private static double Expected(int index)
    {
        var within = index % 128;
        return within % 32 >= 16 ? 0 : within < 64 ? 2.5 : -1.0;
    }

    [Test]
    public void DoubleFillAndStridedPutWriteEveryCpesStripe()
    {
        var group = Group();
        var output = group.Memory.Allocate<double>("out", Cpes * 128);
        var report = group.Run(CompiledKernel.Compile(FillAndPut(ElementType.Float64)).Program(new Dictionary<string, GlobalBuffer> { ["out"] = output }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(output.AsSpan<double>().ToArray(), Is.EqualTo(Enumerable.Range(0, Cpes * 128).Select(Expected)));
            Assert.That(report.Cpes.Select(c => c.DmaBlocks), Has.All.EqualTo(4));
            Assert.That(report.Cpes.Select(c => c.FillElements), Has.All.EqualTo(64));
        }
    }

    [Test]
    public void FloatFillAndPutMoveFourByteElements()
    {
        var group = Group();
        var output = group.Memory.Allocate<float>("out", Cpes * 128);
        var report = group.Run(CompiledKernel.Compile(FillAndPut(ElementType.Float32)).Program(new Dictionary<string, GlobalBuffer> { ["out"] = output }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(output.AsSpan<float>().ToArray(), Is.EqualTo(Enumerable.Range(0, Cpes * 128).Select(i => (float)Expected(i))));
            Assert.That(report.Cpes.Select(c => c.DmaPutBytes), Has.All.EqualTo(64 * sizeof(float)));
        }
    }

    [Test]
    public void APlannedOffsetThatTheEmulatorAgreesWithRuns()
    {
        var group = Group();
        var output = group.Memory.Allocate<double>("out", Cpes * 128);
        group.Run(CompiledKernel.Compile(FillAndPut(ElementType.Float64, planned: 0)).Program(new Dictionary<string, GlobalBuffer> { ["out"] = output }));
        Assert.That(output.AsSpan<double>()[0], Is.EqualTo(2.5));
    }

    [Test]
    public void DoubleBufferHalvesFollowTheTurnBit()
    {
        // Fill the current half with 1 and the next with 2, swap, put the current half: it holds 2.
        var kernel = new LoopKernel("halves", ElementType.Float64, [new("out", Cpes * 4, true)], [new("d", 4, Copies: 2, DoubleBuffer: true)], ["r"],
            Block.Of(
                new Fill(new LdmRef("d", 0, 4), 1.0),
                new Fill(new LdmRef("d", 0, 4, BufferHalf.Next), 2.0),
                new Swap("d"),
                new ResetReply("r"),
                new DmaPut(new LdmRef("d", 0, 4), "out", ((Var.Row * 8) + Var.Column) * 4, 0, 0, "r"),
                new DmaWait("r")));
        var group = Group();
        var output = group.Memory.Allocate<double>("out", Cpes * 4);
        group.Run(CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer> { ["out"] = output }));
        Assert.That(output.AsSpan<double>().ToArray(), Has.All.EqualTo(2.0));
    }
}
