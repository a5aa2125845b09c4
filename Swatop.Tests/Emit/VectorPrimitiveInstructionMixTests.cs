using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// The emitted element-wise and multiply-accumulate primitives issue what the time model charges: run on the
/// shim, which counts every SIMD instruction as it executes it, a direct convolution (at stride 1 and 2) and
/// convolutions with an epilogue (bias, residual, ReLU, clamp) retire the vector loads, unaligned loads, splats,
/// gathers, stores, FMAs and other vector arithmetic the emulator's account of the same calls charges
/// (<see cref="VectorIssue"/>, <see cref="MeshGemmIssue"/> for the mesh GEMM beside them), within 10% and in fact
/// exactly; and the vector part is there (the primitives are not scalar loops).
/// </summary>
public sealed class VectorPrimitiveInstructionMixTests
{
    private const double Tolerance = 0.10;

    [Test]
    public void The_golden_direct_depthwise_convolution_issues_what_the_model_charges()
    {
        var spec = Operator.Conv2d(2, 12, 12, 9, 9, 3, padding: 1, groups: 12, elementType: ElementType.Float32);
        var mix = Compare("conv2d_depthwise_3x3_direct_float", spec, Golden("conv2d_depthwise_3x3_direct_float"));
        Assert.That(mix.Emulator.SimdUnalignedLoads, Is.GreaterThan(0), "stride 1: the source vectors are loaded whole with simd_loadu");
    }

    [Test]
    public void A_strided_direct_convolution_gathers_what_the_model_charges()
    {
        var spec = Operator.Conv2d(1, 4, 4, 20, 20, 3, stride: 2, padding: 1, groups: 4);
        var schedule = ScheduleSpace.For(spec, Sw26010Target.Default.Limits, null, DirectSchedule.AlgorithmName).Default();
        var mix = Compare("direct_depthwise_3x3_s2_double", spec, schedule);
        Assert.That(mix.Emulator.SimdGathers, Is.GreaterThan(0), "stride 2: each source vector is gathered lane by lane");
    }

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void A_convolution_with_bias_residual_and_relu_issues_what_the_model_charges(ElementType type)
    {
        var spec = Operator.Conv2d(2, 3, 20, 7, 9, 3, padding: 1, elementType: type)
            .WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());
        var mix = Compare($"conv2d_epilogue_{type}", spec, ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Default());
        Assert.That(mix.Emulator.SimdArithmetic, Is.GreaterThan(0), "the epilogue's adds, compares and selects run on vectors");
    }

    [Test]
    public void A_gemm_with_bias_and_a_clamp_issues_what_the_model_charges()
    {
        var spec = Operator.Gemm(37, 45, 19).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu6());
        Compare("gemm_bias_relu6_double", spec, ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Default());
    }

    /// <summary>
    /// Runs the kernel on the shim (its output bit for bit the emulator's, every count CPE by CPE the emulator's:
    /// <see cref="EmittedC.CheckAgainstEmulator"/>) and compares its SIMD counts, summed over the CPEs, with the
    /// emulator's account of the same run.
    /// </summary>
    private static (ShimSimdCounts Shim, CpeActivity Emulator) Compare(string name, OperatorSpec spec, Schedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        var shim = check.Counts.Select(c => c.Simd).Aggregate(ShimSimdCounts.None, (a, b) => a + b);
        var emulator = CpeActivity.Sum(EmittedC.EmulatorCountsPerCpe(EmittedC.Kernel(spec, schedule)));
        var rows = new (string What, long Emitted, long Charged)[]
        {
            ("vector loads", shim.Loads, emulator.SimdLoads),
            ("unaligned loads", shim.UnalignedLoads, emulator.SimdUnalignedLoads),
            ("splats", shim.Splats, emulator.SimdSplats),
            ("gathers", shim.Gathers, emulator.SimdGathers),
            ("stores", shim.Stores, emulator.SimdStores),
            ("FMAs", shim.Fmas, emulator.SimdFmas),
            ("other vector arithmetic", shim.Arithmetic, emulator.SimdArithmetic),
        };
        TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: emitted / charged over the CPEs: {string.Join(", ", rows.Select(r => $"{r.What} {r.Emitted} / {r.Charged}"))}"));
        using (Assert.EnterMultipleScope())
        {
            foreach (var (what, emitted, charged) in rows)
            {
                Assert.That((double)emitted, Is.EqualTo((double)charged).Within(Tolerance * charged), $"{name}: {what}");
            }

        }

        return (shim, emulator);
    }

    private static DirectSchedule Golden(string name) =>
        (DirectSchedule)Schedule.FromJson(File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("Swatop.Tests", "Emit", "Golden", name, "schedule.json"))));
}
