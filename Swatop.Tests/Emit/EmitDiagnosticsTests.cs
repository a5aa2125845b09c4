using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Emit;

/// <summary>Each of the C emitter's diagnostics: its stable id, and a message that names the kernel and the offending value.</summary>
public sealed class EmitDiagnosticsTests
{
    private static readonly KernelProfile Profile = new(1e-3, [], 1_000_000, 742.4e9, "fixed for the test");

    private static Sw26010Kernel Compiled()
    {
        var spec = Operator.Gemm(128, 32, 16);
        return (Sw26010Kernel)spec.WithSchedule(ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default);
    }

    private static LoweredKernel Optimized() => Compiled().Lowered;

    /// <summary>Emits <paramref name="lowered"/> with the layout steps of the kernel it was changed from.</summary>
    private static KernelSources Emit(LoweredKernel lowered) => AthreadCEmitter.Emit(lowered, Compiled().LayoutSteps, Profile);

    [TestCase("int", "is a C keyword")]
    [TestCase("ldm a", "is not a C identifier")]
    [TestCase("swatop_a", "begins with a prefix")]
    [TestCase("ldm_a_next", "ends in a suffix")]
    public void SWC0001_a_bad_buffer_name_is_named(string name, string rule)
    {
        var lowered = Optimized();
        var kernel = lowered.Kernel;
        var renamed = kernel with { Buffers = [.. kernel.Buffers.Select(b => b.Name == "ldm_a" ? b with { Name = name } : b)] };
        var error = Assert.Throws<EmitException>(() => Emit(lowered.WithKernel(renamed)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Id, Is.EqualTo(EmitDiagnostics.InvalidName));
            Assert.That(error.Message, Does.StartWith("SWC0001: ").And.Contain($"the LDM buffer '{name}' {rule}").And.Contain($"Kernel '{kernel.Name}'"));
        }
    }

    [Test]
    public void SWC0001_a_bad_loop_variable_is_named()
    {
        var lowered = Optimized();
        var kernel = lowered.Kernel;
        var body = Block.Of(kernel.Body, new ForLoop("while", 1, new Fill(new LdmRef("ldm_c", 0, 4), 0.0)));
        var error = Assert.Throws<EmitException>(() => Emit(lowered.WithKernel(kernel with { Body = body })));
        Assert.That(error.Id, Is.EqualTo(EmitDiagnostics.InvalidName));
        Assert.That(error.Message, Does.Contain("the loop variable 'while' is a C keyword"));
    }

    [Test]
    public void SWC0002_a_tile_transfer_left_in_the_IR_is_named()
    {
        var spec = Operator.Gemm(128, 32, 16);
        var schedule = ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Default();
        var raw = KernelLowering.Lower(spec, schedule, Sw26010Target.Default.Limits); // before the boundary pass
        var error = Assert.Throws<EmitException>(() => Emit(raw));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Id, Is.EqualTo(EmitDiagnostics.TileDmaNotLowered));
            Assert.That(error.Message, Does.StartWith("SWC0002: ").And.Contain($"Kernel '{raw.Kernel.Name}'").And.Contain("`tile get ").And.Contain("run the boundary pass first"));
        }
    }

    [TestCase(double.NaN, "NaN")]
    [TestCase(double.PositiveInfinity, "Infinity")]
    [TestCase(double.NegativeInfinity, "-Infinity")]
    public void SWC0003_a_fill_value_with_no_C_literal_is_named(double value, string printed)
    {
        var lowered = Optimized();
        var kernel = lowered.Kernel;
        var body = Block.Of(new Fill(new LdmRef("ldm_c", 0, 4), value), kernel.Body);
        var error = Assert.Throws<EmitException>(() => Emit(lowered.WithKernel(kernel with { Body = body })));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Id, Is.EqualTo(EmitDiagnostics.UnprintableValue));
            Assert.That(error.Message, Does.StartWith("SWC0003: ").And.Contain($"the fill value {printed} has no C literal").And.Contain("fill ldm_c[0 +: 4]"));
        }
    }

    [Test]
    public void SWC0004_a_plan_without_room_for_the_mesh_GEMM_workspace_is_named()
    {
        var lowered = Optimized();
        var kernel = lowered.Kernel;
        var work = kernel.Buffer(KernelLowering.BufferWork);
        var shrunk = kernel with { Buffers = [.. kernel.Buffers.Select(b => b == work ? b with { Elements = work.Elements - 1 } : b)] };
        var error = Assert.Throws<EmitException>(() => Emit(lowered.WithKernel(shrunk)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Id, Is.EqualTo(EmitDiagnostics.WorkspaceTooSmall));
            Assert.That(error.Message, Does.Contain($"a workspace of {work.Elements} elements").And.Contain($"'ldm_w' with {work.Elements - 1} elements"));
        }
    }

    [Test]
    public void Layout_steps_other_than_the_ones_the_placements_ask_for_are_refused_by_name()
    {
        var kernel = Compiled();
        Assert.That(kernel.LayoutSteps, Is.Not.Empty, "the kernel keeps a tensor in a layout of its own");
        var missing = Assert.Throws<ArgumentException>(() => AthreadCEmitter.Emit(kernel.Lowered, kernel.LayoutSteps.Skip(1).ToList(), Profile))!;
        Assert.That(missing.Message, Does.Contain($"needs the layout step '{kernel.LayoutSteps[0].Step}' once"));
        var twice = Assert.Throws<ArgumentException>(() => AthreadCEmitter.Emit(kernel.Lowered, [.. kernel.LayoutSteps, kernel.LayoutSteps[0]], Profile))!;
        Assert.That(twice.Message, Does.Contain("2 of the"));
    }
}
