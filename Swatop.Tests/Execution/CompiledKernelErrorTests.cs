using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>Every rule of the executor, broken once: the id, and the names a reader needs to find the fault.</summary>
public sealed class CompiledKernelErrorTests
{
    private static readonly LdmRef T = new("t", 0, 64);

    private static LoopKernel Kernel(Stmt body, ImmutableArray<Swatop.Core.Ir.LdmBuffer>? buffers = null, ImmutableArray<string>? replies = null) =>
        new("k", ElementType.Float64, [new("out", 64 * 64, true)], buffers ?? [new("t", 64), new("d", 16, Copies: 2, DoubleBuffer: true)], replies ?? ["r"], body);

    private static Stmt Put(LdmRef source, Expr offset) => Block.Of(new ResetReply("r"), new DmaPut(source, "out", offset, 0, 0, "r"), new DmaWait("r"));

    private static void Compile(LoopKernel kernel) => CompiledKernel.Compile(kernel);

    [Test]
    public void ATileTransferAsksForTheBoundaryPass()
    {
        var tile = new TileDma(DmaDirection.Get, T, "out", 0, new TileShape(8, 8, 8, 8, 1, 64), "r");
        Throws<ExecutionException>(() => Compile(Kernel(tile)), ExecutionDiagnostics.TileDmaNotLowered, "Kernel 'k'", "tile get", "boundary pass");
    }

    [Test]
    public void AnUnboundVariableIsNamed() =>
        Throws<ExecutionException>(() => Compile(Kernel(new Fill(new LdmRef("t", new Var("x"), 8), 0))), ExecutionDiagnostics.UnboundVariable, "'x'", "fill t[x +: 8]");

    [Test]
    public void ALoopVariableIsUnboundAfterItsLoop() =>
        Throws<ExecutionException>(() => Compile(Kernel(Block.Of(new ForLoop("i", 4, Block.Empty), new Fill(new LdmRef("t", new Var("i"), 8), 0)))),
            ExecutionDiagnostics.UnboundVariable, "'i'");

    [Test]
    public void AnUndeclaredBufferIsNamedWithTheDeclaredOnes() =>
        Throws<ExecutionException>(() => Compile(Kernel(new Fill(new LdmRef("u", 0, 8), 0))), ExecutionDiagnostics.UndeclaredBuffer, "'u'", "'t', 'd'");

    [Test]
    public void AnUndeclaredTensorIsNamed() =>
        Throws<ExecutionException>(() => Compile(Kernel(new DmaGet(T, "in", 0, 0, 0, "r"))), ExecutionDiagnostics.UndeclaredTensor, "'in'", "'out'");

    [Test]
    public void AnUndeclaredReplyIsNamed() =>
        Throws<ExecutionException>(() => Compile(Kernel(new DmaWait("s"))), ExecutionDiagnostics.UndeclaredReply, "'s'", "'r'");

    [Test]
    public void TheNextHalfOfASingleBufferIsRefused() =>
        Throws<ExecutionException>(() => Compile(Kernel(new Fill(T.InNextHalf, 0))), ExecutionDiagnostics.SingleBufferHalf, "t.next[0 +: 64]", "one copy");

    [Test]
    public void SwappingASingleBufferIsRefused() =>
        Throws<ExecutionException>(() => Compile(Kernel(new Swap("t"))), ExecutionDiagnostics.SingleBufferHalf, "swap t", "one copy");

    [Test]
    public void ANameDeclaredTwiceIsRefused() =>
        Throws<ExecutionException>(() => Compile(Kernel(Block.Empty, [new("t", 64), new("t", 8)])), ExecutionDiagnostics.InvalidDeclaration, "LDM buffer 't' is declared twice");

    [Test]
    public void ThreeCopiesAreRefused() =>
        Throws<ExecutionException>(() => Compile(Kernel(Block.Empty, [new("t", 64, Copies: 3)])), ExecutionDiagnostics.InvalidDeclaration, "'t'", "3 copies");

    [Test]
    public void ABuiltInCannotBeRebound() =>
        Throws<ExecutionException>(() => Compile(Kernel(new ForLoop("row", 2, Block.Empty))), ExecutionDiagnostics.InvalidDeclaration, "'row'", "built-in");

    [Test]
    public void AMissingTensorIsNamed()
    {
        var kernel = CompiledKernel.Compile(Kernel(Block.Empty));
        Throws<ExecutionException>(() => kernel.Program(new Dictionary<string, GlobalBuffer>()), ExecutionDiagnostics.TensorBinding, "tensor 'out'");
    }

    [Test]
    public void ABufferForNoTensorIsNamed()
    {
        var kernel = CompiledKernel.Compile(Kernel(Block.Empty));
        var memory = Group().Memory;
        var tensors = new Dictionary<string, GlobalBuffer> { ["out"] = memory.Allocate<double>("out", 64 * 64), ["extra"] = memory.Allocate<double>("x", 1) };
        Throws<ExecutionException>(() => kernel.Program(tensors), ExecutionDiagnostics.TensorBinding, "'extra' is not a tensor of the kernel");
    }

    [Test]
    public void ATooSmallBufferIsNamedWithItsSizes()
    {
        var kernel = CompiledKernel.Compile(Kernel(Block.Empty));
        var tensors = new Dictionary<string, GlobalBuffer> { ["out"] = Group().Memory.Allocate<float>("small", 64 * 64) };
        Throws<ExecutionException>(() => kernel.Program(tensors), ExecutionDiagnostics.TensorStorage, "'out'", "4096 Float64 elements (32768 bytes)", "'small' has 16384 bytes");
    }

    [Test]
    public void TensorsInTwoCoreGroupsAreRefused()
    {
        var kernel = new LoopKernel("k", ElementType.Float64, [new("a", 8, false), new("b", 8, true)], [], [], Block.Empty);
        var chip = Chip(2);
        var tensors = new Dictionary<string, GlobalBuffer> { ["a"] = chip.CoreGroups[0].Memory.Allocate<double>("a", 8), ["b"] = chip.CoreGroups[1].Memory.Allocate<double>("b", 8) };
        Throws<ExecutionException>(() => CompiledKernel.Compile(kernel).Program(tensors), ExecutionDiagnostics.TensorStorage, "tensor 'b'", "CG 1", "CG 0");
    }

    [Test]
    public void APlanTheEmulatorDisagreesWithIsReportedAtTheRun()
    {
        var kernel = CompiledKernel.Compile(Kernel(Block.Empty, [new("t", 64, Offset: 0), new("d", 16, Copies: 2, Offset: 256)]));
        var group = Group();
        var program = kernel.Program(new Dictionary<string, GlobalBuffer> { ["out"] = group.Memory.Allocate<double>("out", 64 * 64) });
        Throws<ExecutionException>(() => group.Run(program), ExecutionDiagnostics.LdmPlanMismatch, "'d' (256 bytes) is planned at byte 256 but allocated at byte 512");
    }

    [Test]
    public void AReferenceOutsideItsHalfIsReportedAtTheRun()
    {
        var group = Group();
        var program = CompiledKernel.Compile(Kernel(new ForLoop("i", 2, new Fill(new LdmRef("d", new Var("i") * 12, 8, BufferHalf.Next), 0))))
            .Program(new Dictionary<string, GlobalBuffer> { ["out"] = group.Memory.Allocate<double>("out", 64 * 64) });
        Throws<ExecutionException>(() => group.Run(program), ExecutionDiagnostics.ValueOutOfRange, "Kernel 'k'", "CPE (", "elements [12, 20) of LDM buffer 'd'", "each half of the buffer has 16 elements");
    }

    [Test]
    public void ADmaOffsetOutsideItsTensorIsReportedAtTheRun()
    {
        var group = Group();
        var program = CompiledKernel.Compile(Kernel(Put(T, Var.Row - 1)))
            .Program(new Dictionary<string, GlobalBuffer> { ["out"] = group.Memory.Allocate<double>("out", 64 * 64) });
        Throws<ExecutionException>(() => group.Run(program), ExecutionDiagnostics.ValueOutOfRange, "put t[0 +: 64] -> out[row - 1]", "first element -1", "tensor 'out'");
    }

    [Test]
    public void ADmaPastTheTensorsEndIsTheEmulatorsError()
    {
        var group = Group();
        var program = CompiledKernel.Compile(Kernel(Put(T, 64 * 63 + 1)))
            .Program(new Dictionary<string, GlobalBuffer> { ["out"] = group.Memory.Allocate<double>("out", 64 * 64) });
        Throws<EmulatorException>(() => group.Run(program), EmulatorDiagnostics.DmaOutOfBounds, "'out'");
    }
}
