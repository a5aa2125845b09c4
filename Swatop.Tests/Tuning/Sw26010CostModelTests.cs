using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;

namespace Swatop.Tests.Tuning;

/// <summary>The analytic model counts what the lowered kernel does: its mesh GEMM calls and, for tiles without borders, its DMA bytes.</summary>
public sealed class Sw26010CostModelTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Operators() =>
    [
        new TestCaseData(Operator.Gemm(256, 64, 32)).SetArgDisplayNames("gemm 256x64x32"),
        new TestCaseData(Operator.Gemm(256, 64, 32, batch: 2, transposeB: true)).SetArgDisplayNames("batched gemm"),
        new TestCaseData(Operator.FullyConnected(128, 64, 96)).SetArgDisplayNames("fc"),
        new TestCaseData(Operator.Conv2d(128, 8, 32, 6, 6, 3)).SetArgDisplayNames("conv 3x3 valid"),
        new TestCaseData(Operator.Conv2d(128, 16, 32, 4, 4, 1)).SetArgDisplayNames("conv 1x1"),
    ];

    [TestCaseSource(nameof(Operators))]
    public void The_model_counts_the_kernels_mesh_gemm_calls_and_dma_bytes(OperatorSpec spec)
    {
        var model = new Sw26010CostModel(Target.Spec);
        var space = ImplicitGemmSpace.For(spec, Target.Limits);
        var random = new Random(11);
        for (var i = 0; i < 12; i++)
        {
            var schedule = space.Sample(random);
            var account = model.Account(space.Validate(schedule));
            var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(Target);
            var first = kernel.MeasureReport().CoreGroups[0].Total;
            Assert.That(account.GemmCalls, Is.EqualTo(first.MeshGemmCalls / 64.0), $"calls of {schedule}");
            Assert.That(account.GetBytes, Is.EqualTo(first.DmaGetBytes), $"get bytes of {schedule}");
            Assert.That(account.PutBytes, Is.EqualTo(first.DmaPutBytes), $"put bytes of {schedule}");
        }
    }
}
