using Swatop.Benchmarks;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Benchmarking;

/// <summary>The estimate of Winograd as batched mesh GEMMs (<see cref="WinogradEstimate"/>), whose figures <c>docs/winograd.md</c> records.</summary>
public sealed class WinogradEstimateTests
{
    [TestCase(64, 64, 56, 2)]
    [TestCase(64, 64, 56, 4)]
    [TestCase(512, 512, 7, 2)]
    [TestCase(512, 512, 7, 4)]
    [TestCase(3, 64, 224, 4)]
    public void The_fused_variant_s_shape_fits_the_LDM_budget_and_the_mesh_GEMM_s_quanta(int ci, int co, int side, int m)
    {
        var fused = WinogradEstimate.Fused(ci, co, side, m);
        var positions = (m + 2) * (m + 2);
        var bytes = (double)positions * ((fused.K * fused.M) + (fused.M * fused.N) + (fused.N * fused.K)) / 64 * sizeof(double);
        Assert.That(bytes, Is.LessThanOrEqualTo(Sw26010Target.Default.Limits.LdmBudgetBytes));
        Assert.That(Swatop.Primitives.MeshGemmRules.IsLegal(fused.M, fused.N, fused.K), Is.True, $"{fused.M} x {fused.N} x {fused.K}");
        Assert.That(fused.Seconds, Is.GreaterThan(0).And.LessThan(double.PositiveInfinity));
    }

    [Test]
    public void The_fused_variant_never_beats_the_peak_of_its_products()
    {
        // 2 alpha^2 Ci Co flops a tile: the products alone at the chip's peak (4 core groups of 64 CPEs, 8 flops a cycle at 1.45 GHz).
        foreach (var m in new[] { 2, 4 })
        {
            var tiles = 128.0 * ((56 + m - 1) / m) * ((56 + m - 1) / m);
            var products = 2.0 * (m + 2) * (m + 2) * 64 * 64 * tiles / (4 * 64 * 8 * 1.45e9);
            Assert.That(WinogradEstimate.Fused(64, 64, 56, m).Seconds, Is.GreaterThan(products), $"m = {m}");
        }
    }

    [Test]
    public void F4_s_transforms_move_fewer_bytes_than_F2_s_whose_V_and_M_are_four_times_the_tensors()
    {
        Assert.That(WinogradEstimate.TransformSeconds(64, 64, 56, 4), Is.LessThan(WinogradEstimate.TransformSeconds(64, 64, 56, 2)));
        Assert.That(WinogradEstimate.TransformSeconds(512, 512, 7, 4) * 1e3, Is.EqualTo(3.343).Within(0.0005), "the bound docs/winograd.md records for res5_3x3");
    }
}
