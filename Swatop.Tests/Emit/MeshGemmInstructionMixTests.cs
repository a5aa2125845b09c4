using System.Globalization;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Ir;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// The emitted mesh GEMM issues what the time model charges: run on the shim, which counts every SIMD
/// instruction and register word as it executes them, the golden kernels (and a GEMM with large per-CPE
/// blocks) retire exactly the model's vector FMAs, and their loads, stores, broadcasts and receives per 64
/// FMAs (one k step of a 4 x 4 register block) are within 10% of <see cref="MeshGemmIssue"/>'s: the
/// accumulators once a SUMMA step, each operand loaded whole or splat once by its owner and sent register
/// to register, nothing gathered element by element.
/// </summary>
public sealed class MeshGemmInstructionMixTests
{
    private const double Tolerance = 0.10;

    [Test]
    public void The_golden_double_gemm_issues_what_the_model_charges() =>
        Compare("gemm_256x40x16_double", EmittedC.Kernel(Operator.Gemm(256, 40, 16), Lowering.GemmLoweringGoldenTests.Schedule));

    [Test]
    public void The_golden_float_convolution_issues_what_the_model_charges() =>
        Compare("conv2d_3x3_s2_p1_float", EmittedC.Kernel(Operator.Conv2d(1, 8, 32, 7, 7, 3, stride: 2, padding: 1, elementType: ElementType.Float32), Golden("conv2d_3x3_s2_p1_float")));

    [Test]
    public void The_golden_blocked_double_convolution_issues_what_the_model_charges() =>
        Compare("conv2d_1x1_b128_blocked_double", EmittedC.Kernel(Operator.Conv2d(128, 16, 32, 3, 3, 1), Golden("conv2d_1x1_b128_blocked_double")));

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void A_gemm_with_large_blocks_issues_what_the_model_charges(ElementType type)
    {
        var spec = Operator.Gemm(256, 128, 128, elementType: type);
        var schedule = ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Enumerate()
            .Where(s => s.CoreGroups == 1)
            .MaxBy(s => (long)s.TileM * s.TileN * s.TileK)!;
        Compare($"gemm_256x128x128_{type}", EmittedC.Kernel(spec, schedule));
    }

    /// <summary>Runs the kernel on the shim and compares its SIMD and register counts, per 64 FMAs, with the model's account of its calls.</summary>
    private static void Compare(string name, Sw26010Kernel kernel)
    {
        var check = EmittedKernelCheck.Run(kernel, seed: 7);
        var simd = check.Counts.Select(c => c.Simd).Aggregate(ShimSimdCounts.None, (a, b) => a + b);
        long broadcasts = check.Counts.Sum(c => c.Activity.RlcPuts), receives = check.Counts.Sum(c => c.Activity.RlcGets);
        var calls = check.Counts.Select(c => c.Activity.MeshGemmCalls).Distinct().Single();
        var (m, n, k) = CallShape(kernel);
        var perCall = MeshGemmIssue.For(m, n, k, kernel.Operator.ElementType);
        var cpes = check.Counts.Count;
        var model = (Fmas: perCall.Fmas * calls * cpes, Loads: perCall.Loads * calls * cpes, Stores: perCall.Stores * calls * cpes,
            Broadcasts: perCall.Broadcasts * calls * cpes, Receives: perCall.Receives * calls * cpes);

        Assert.That(simd.Fmas, Is.EqualTo(model.Fmas), $"{name}: the vector FMAs, {calls} calls of {m} x {n} x {k} on {cpes} CPEs");
        var kSteps = simd.Fmas / (double)MeshGemmIssue.FmasPerKStep;
        var rows = new (string What, double Emitted, double Charged)[]
        {
            ("loads", (simd.Loads + simd.Splats) / kSteps, model.Loads / kSteps),
            ("stores", simd.Stores / kSteps, model.Stores / kSteps),
            ("broadcasts", broadcasts / kSteps, model.Broadcasts / kSteps),
            ("receives", receives / kSteps, model.Receives / kSteps),
        };
        var modelCyclesPerKStep = MeshGemmPrimitive.Cycles(Hardware.Sw26010.Sw26010Spec.Default.Timing, m, n, k, kernel.Operator.ElementType) / perCall.KSteps;
        TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {calls} calls of {m} x {n} x {k} a CPE; per 64 FMAs (emitted / charged): {string.Join(", ", rows.Select(r => $"{r.What} {r.Emitted:F3} / {r.Charged:F3}"))}; conversions {simd.Converts / kSteps:F3}; modelled cycles per k step {modelCyclesPerKStep:F1}"));
        using (Assert.EnterMultipleScope())
        {
            foreach (var (what, emitted, charged) in rows)
            {
                Assert.That(emitted, Is.EqualTo(charged).Within(Tolerance * charged), $"{name}: {what} per 64 FMAs");
            }
        }
    }

    /// <summary>The one shape of the kernel's mesh GEMM calls (constant in these kernels).</summary>
    private static (int M, int N, int K) CallShape(Sw26010Kernel kernel)
    {
        var finder = new CallFinder();
        finder.Visit(kernel.Lowered.Kernel.Body);
        var shapes = finder.Shapes.Distinct().ToList();
        Assert.That(shapes, Has.Count.EqualTo(1), "the kernel's calls have one constant shape");
        return shapes[0];
    }

    private static ImplicitGemmSchedule Golden(string name) =>
        (ImplicitGemmSchedule)Schedule.FromJson(File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("Swatop.Tests", "Emit", "Golden", name, "schedule.json"))));

    private sealed class CallFinder : IrVisitor
    {
        public List<(int M, int N, int K)> Shapes { get; } = [];

        public override void Visit(MeshGemm gemm)
        {
            long? m = gemm.M.AsConstant, n = gemm.N.AsConstant, k = gemm.K.AsConstant;
            Assert.That(m.HasValue && n.HasValue && k.HasValue, $"a constant call shape: {IrPrinter.Print(gemm).TrimEnd()}");
            Shapes.Add(((int)m!.Value, (int)n!.Value, (int)k!.Value));
        }
    }
}
