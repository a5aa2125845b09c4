using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emit;

/// <summary>
/// Emitted C that races fails verification: the shim checks the emulator's race rules on every DMA
/// issue and every primitive call, and stops the run with the emulator's id, naming both accesses,
/// their LDM bytes and where each stands in the emitted file. Each racy kernel is run on both.
/// </summary>
public sealed class ShimRaceTests
{
    private static readonly LdmRef T = new("t", 0, 64);

    private static DmaGet Get(LdmRef target) => new(target, "in", 0, 0, 0, "r");

    private static DmaPut Put(LdmRef source) => new(source, "out", 0, 0, 0, "r");

    private static LoopKernel Kernel(string name, params Stmt[] statements) => Unwaited(name, [.. statements, new DmaWait("r")]);

    // The statements after a reset of the reply word, without the wait that ends every other racy kernel.
    private static LoopKernel Unwaited(string name, params Stmt[] statements) =>
        new(name, ElementType.Float64, [new("in", 64 * 64, false), new("out", 64 * 64, true)],
            [new("t", 64), new("u", 64), new("a", 16), new("b", 4), new("c", 64), new(KernelLowering.BufferWork, 32)], ["r"], Block.Of([new ResetReply("r"), .. statements]));

    private static IEnumerable<TestCaseData> Races()
    {
        yield return new TestCaseData(Kernel("fill_before_wait", Get(T), new Fill(new LdmRef("t", 8, 8), 0)), EmulatorDiagnostics.PendingGetTouched,
            new[] { "swatop_fill_d at slave.c:", "writing LDM bytes [64, 128), while athread_get at slave.c:", "writing LDM bytes [0, 512) (reply word", "transfer 1 since the word's reset) is outstanding",
                "LDM that an outstanding get fills may not be read or written until a DMA wait on its reply word covers the get" })
            .SetName("A fill of a range a get still fills");
        yield return new TestCaseData(Kernel("operand_before_wait", Get(new LdmRef("u", 0, 8)),
                new Elementwise(new LdmRef("t", 0, 8), ElementwiseOp.Add, [new ElementwiseOperand(ElementwiseOperandKind.Span, new LdmRef("u", 0, 8), 0)])),
            EmulatorDiagnostics.PendingGetTouched, new[] { "swatop_eltwise_add_d operand at slave.c:", "reading LDM bytes [512, 576), while athread_get" })
            .SetName("An element-wise operand a get still fills");
        yield return new TestCaseData(Kernel("gemm_before_wait", Get(new LdmRef("a", 0, 16)), new MeshGemm(128, 32, 8, new LdmRef("a", 0, 16), new LdmRef("b", 0, 4), new LdmRef("c", 0, 64))),
            EmulatorDiagnostics.PendingGetTouched, new[] { "swatop_mesh_gemm_d operand A at slave.c:", "reading LDM bytes [1024, 1152), while athread_get" })
            .SetName("A mesh GEMM operand a get still fills");
        yield return new TestCaseData(Kernel("mac_before_wait", Get(new LdmRef("u", 0, 8)), new MultiplyAccumulate(new LdmRef("t", 0, 4), new LdmRef("a", 0, 3), new LdmRef("u", 0, 6), 1, 1)),
            EmulatorDiagnostics.PendingGetTouched, new[] { "swatop_mac_d source at slave.c:", "reading LDM bytes [512, 560), while athread_get at slave.c:", "writing LDM bytes [512, 576)" })
            .SetName("A direct convolution's multiply-accumulate reading a source a get still fills");
        yield return new TestCaseData(Kernel("mac_into_put", Put(T), new MultiplyAccumulate(new LdmRef("t", 8, 4), new LdmRef("a", 0, 3), new LdmRef("u", 0, 6), 1, 1)),
            EmulatorDiagnostics.PendingPutSourceWritten, new[] { "swatop_mac_d at slave.c:", "writing LDM bytes [64, 96), while athread_put at slave.c:", "reading LDM bytes [0, 512)" })
            .SetName("A direct convolution's multiply-accumulate into the source of an outstanding put");
        yield return new TestCaseData(Kernel("transpose_into_put", Put(T), new Transpose(new LdmRef("t", 0, 16), new LdmRef("u", 0, 16), 4, 4)),
            EmulatorDiagnostics.PendingPutSourceWritten, new[] { "swatop_transpose_d target at slave.c:", "writing LDM bytes [0, 128), while athread_put at slave.c:", "reading LDM bytes [0, 512)",
                "the LDM source of an outstanding put may not be written until a DMA wait on its reply word covers the put" })
            .SetName("A transpose into the source of an outstanding put");
        yield return new TestCaseData(Kernel("get_over_put", Put(new LdmRef("t", 0, 32)), Get(new LdmRef("t", 16, 32))),
            EmulatorDiagnostics.OverlappingTransfers, new[] { "athread_get at slave.c:", "writing LDM bytes [128, 384) (reply word", "transfer 2 since the word's reset), while athread_put at slave.c:",
                "reading LDM bytes [0, 256)", "two outstanding transfers may not overlap in LDM where one of them writes it" })
            .SetName("A get over the source of an outstanding put");
        yield return new TestCaseData(Unwaited("put_not_waited", Put(T)), EmulatorDiagnostics.TransferOutstandingAtEnd,
            new[] { "the end of the CPE function (1 transfer outstanding), while athread_put at slave.c:", "reading LDM bytes [0, 512)",
                "a kernel may not end while a transfer it issued is outstanding" })
            .SetName("A kernel that ends before its put is waited for");
    }

    [TestCaseSource(nameof(Races))]
    public void TheShimAndTheEmulatorStopTheSameRace(LoopKernel kernel, string id, string[] mentions)
    {
        var group = Group();
        var program = CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer>
        {
            ["in"] = group.Memory.Allocate<double>("in", 64 * 64),
            ["out"] = group.Memory.Allocate<double>("out", 64 * 64),
        });
        Throws<DmaRaceException>(() => group.Run(program), id, $"Kernel '{kernel.Name}'");

        using var build = IrKernelHostBuild.Build(kernel);
        IrKernelHostBuild.WriteInput(build, kernel, "in", new double[64 * 64]);
        var run = build.RunExpectingFailure();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(GccShimRun.AbortExitCode), run.StandardError);
            Assert.That(run.StandardError, Does.StartWith("swatop athread shim: CPE (").And.Contain($" in '{CNames.CpeFunction(kernel)}': {id}: "));
            foreach (var mention in mentions)
            {
                Assert.That(run.StandardError, Does.Contain(mention));
            }
        }
    }

    [Test]
    public void TheSameKernelWithItsWaitInPlacePassesOnBoth()
    {
        var kernel = new LoopKernel("waited", ElementType.Float64, [new("in", 64 * 64, false), new("out", 64 * 64, true)], [new("t", 64), new("u", 64)], ["r"],
            Block.Of(new ResetReply("r"), Get(T), new DmaWait("r"), new Fill(new LdmRef("t", 8, 8), 0), new ResetReply("r"), Put(T), new Transpose(new LdmRef("u", 0, 16), new LdmRef("t", 0, 16), 4, 4), new DmaWait("r")));
        var group = Group();
        var input = group.Memory.Allocate<double>("in", 64 * 64);
        var output = group.Memory.Allocate<double>("out", 64 * 64);
        Assert.DoesNotThrow(() => group.Run(CompiledKernel.Compile(kernel).Program(new Dictionary<string, GlobalBuffer> { ["in"] = input, ["out"] = output })));

        using var build = IrKernelHostBuild.Build(kernel);
        IrKernelHostBuild.WriteInput(build, kernel, "in", new double[64 * 64]);
        var run = build.Run();
        Assert.That(run.StandardError, Is.Empty);
    }
}
