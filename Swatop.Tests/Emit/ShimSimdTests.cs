using System.Runtime.InteropServices;
using Swatop.Hardware.Sw26010.Emit.Verification;

namespace Swatop.Tests.Emit;

/// <summary>
/// The shim's fused multiply-adds are the real interface's: <c>simd_vmad</c> on <c>doublev4</c> and
/// <c>simd_vmas</c> on <c>floatv4</c>, each rounding once per lane; a float vector given to
/// <c>simd_vmad</c> does not compile, as under sw5cc.
/// </summary>
public sealed class ShimSimdTests
{
    [Test]
    public void Vmad_and_vmas_round_once_per_lane()
    {
        double[] d = [0.1, 1e16, -3.5, 1.0 / 3, 0.7, 1.0 + 1e-15, 2.25, 3.0, -0.3, -1e16, 1.5, 1.0 / 7];
        float[] f = [0.1f, 16777216f, -3.5f, 1f / 3, 0.7f, 1f + 1e-7f, 2.25f, 3f, -0.3f, -16777216f, 1.5f, 1f / 7];
        using var build = GccShim.Build("simd_fma", ShimPrograms.Files("simd_fma.c"));
        File.WriteAllBytes(build.PathOf("fma.bin"), [.. MemoryMarshal.AsBytes(d.AsSpan()).ToArray(), .. MemoryMarshal.AsBytes(f.AsSpan()).ToArray()]);
        build.Run();

        var bytes = build.ReadBytes("fma_out.bin");
        var doubles = MemoryMarshal.Cast<byte, double>(bytes.AsSpan(0, 32)).ToArray();
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(32, 16)).ToArray();
        Assert.That(doubles, Is.EqualTo(Enumerable.Range(0, 4).Select(i => Math.FusedMultiplyAdd(d[i], d[4 + i], d[8 + i]))));
        Assert.That(floats, Is.EqualTo(Enumerable.Range(0, 4).Select(i => MathF.FusedMultiplyAdd(f[i], f[4 + i], f[8 + i]))));
    }

    [Test]
    public void A_float_vector_given_to_vmad_does_not_compile()
    {
        var files = new Dictionary<string, string>(ShimPrograms.Files("simd_fma.c"), StringComparer.Ordinal);
        files["simd_fma.c"] = "#define USE_VMAD_ON_FLOAT 1\n" + files["simd_fma.c"];
        var error = Assert.Throws<GccShimException>(() => GccShim.Build("simd_vmad_float", files));
        try
        {
            Assert.That(error.Message, Does.Contain("the compile failed").And.Contain("swatop_shim_vmad_d"));
        }
        finally
        {
            Directory.Delete(error.Directory, recursive: true);
        }
    }
}
