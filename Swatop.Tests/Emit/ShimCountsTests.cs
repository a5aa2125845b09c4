using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Tests.Emit;

/// <summary>Reading the shim's per-CPE counts and comparing them with the emulator's.</summary>
public sealed class ShimCountsTests
{
    private static readonly string Header = string.Join(',', ShimCounts.Columns);

    [Test]
    public void ALineReadsIntoTheEmulatorsTerms()
    {
        var counts = ShimCounts.Parse($"{Header}\n13,1,5,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24\n");

        Assert.That(counts, Has.Count.EqualTo(1));
        var cpe = counts[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That((cpe.Id, cpe.Row, cpe.Column, cpe.LdmPeakBytes), Is.EqualTo((13, 1, 5, 16L)));
            Assert.That(cpe.Simd, Is.EqualTo(new ShimSimdCounts(Loads: 17, Splats: 18, Stores: 19, Fmas: 20, Converts: 21, UnalignedLoads: 22, Gathers: 23, Arithmetic: 24)));
            Assert.That(cpe.Cpe, Is.EqualTo(new CpeId(0, 1, 5)));
            Assert.That(cpe.Activity, Is.EqualTo(new CpeActivity
            {
                DmaGets = 1, DmaPuts = 2, DmaGetBytes = 3, DmaPutBytes = 4, DmaBlocks = 5, DmaWaits = 6, RlcPuts = 7, RlcGets = 8,
                MeshGemmCalls = 9, Flops = 10, FillElements = 11, ConvertElements = 12, CopyElements = 13, TransposeElements = 14, Synchronizations = 15,
                SimdLoads = 17, SimdSplats = 18, SimdStores = 19, SimdFmas = 20, SimdUnalignedLoads = 22, SimdGathers = 23, SimdArithmetic = 24,
            }));
        }
    }

    [TestCase("cpe,row\n0,0\n", "Line 1", TestName = "a wrong header")]
    [TestCase("HEADER\n0,0,0\n", "Line 2 of the shim's counts must hold 27 integers", TestName = "a short line")]
    [TestCase("HEADER\n0,0,0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,x\n", "Line 2", TestName = "a cell that is not a number")]
    public void AMalformedFileIsRefusedWithItsLine(string csv, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ShimCounts.Parse(csv.Replace("HEADER", Header, StringComparison.Ordinal)));
        Assert.That(error.Message, Does.Contain(expected));
    }

    [Test]
    public void DifferencesNameTheCpeTheFieldAndBothValues()
    {
        var shim = ShimCounts.Parse($"{Header}\n0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n9,1,1,0,0,0,0,0,0,4,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2\n");
        var emulator = Enumerable.Repeat(CpeActivity.None, 64).ToArray();
        emulator[0] = new CpeActivity { DmaGets = 1 };
        emulator[9] = new CpeActivity { RlcPuts = 5 };

        var differences = ShimCounts.Differences(shim, emulator);

        Assert.That(differences, Is.EqualTo(new[]
        {
            "the shim counted 2 CPEs, the emulator 64",
            "CPE (1, 1) of CG 0: RlcPuts 4 in the shim, 5 in the emulator",
            "CPE (1, 1) of CG 0: SimdArithmetic 2 in the shim, 0 charged by the emulator's time model",
        }));
    }
}
