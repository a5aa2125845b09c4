using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Epilogues;

/// <summary>
/// The emitted C of kernels with an epilogue, built with gcc against the athread shim: it takes the epilogue's
/// tensors after the operands, matches the reference, and writes the emulator's output bit for bit with the
/// emulator's per-CPE counts (the epilogue's DMA and element-wise calls among them).
/// </summary>
public sealed class EpilogueEmitTests
{
    private static readonly Epilogue ResNet = Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());

    [Test]
    public void A_convolution_with_bias_residual_and_relu_runs_on_the_shim_as_on_the_emulator()
    {
        var spec = Operator.Conv2d(2, 3, 20, 7, 9, 3, padding: 1, elementType: ElementType.Float32).WithEpilogue(ResNet);
        var space = ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits);
        var check = EmittedC.CheckAgainstEmulator(spec, space.Default(), seed: 2, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void A_gemm_with_bias_and_relu6_runs_on_the_shim_as_on_the_emulator()
    {
        var spec = Operator.Gemm(37, 45, 19).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu6());
        var check = EmittedC.CheckAgainstEmulator(spec, ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Default(), seed: 1, GccShimOptions.Default);
        Assert.That(check.Inputs, Has.Count.EqualTo(3), "left, right and the bias");
    }

    [Test]
    public void A_fully_connected_layer_with_a_clip_and_a_residual_runs_on_the_shim_as_on_the_emulator() =>
        EmittedC.CheckAgainstEmulator(
            Operator.FullyConnected(5, 24, 30, ElementType.Float32).WithEpilogue(EpilogueStep.Clip(-0.1, 0.2), EpilogueStep.ResidualAdd()),
            ImplicitGemmSpace.For(Operator.FullyConnected(5, 24, 30, ElementType.Float32), Sw26010Target.Default.Limits).Default(), seed: 6, GccShimOptions.Default);

    [Test]
    public void The_driver_takes_the_epilogue_tensors_after_the_operands()
    {
        var spec = Operator.Gemm(37, 45, 19).WithEpilogue(ResNet);
        var kernel = EmittedC.Kernel(spec, ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Default());
        var main = kernel.Sources.Files["main.c"];
        var header = kernel.Sources.Files["kernel.h"];
        Assert.Multiple(() =>
        {
            Assert.That(main, Does.Contain("run LEFT RIGHT BIAS RESIDUAL OUT").And.Contain("left, LEFT_ELEMENTS, right, RIGHT_ELEMENTS, e0, E0_ELEMENTS, e1, E1_ELEMENTS, out, OUTPUT_ELEMENTS"));
            Assert.That(header, Does.Contain("const double *bias, long bias_elements").And.Contain("const double *residual, long residual_elements"));
        });
    }
}
