using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

public sealed class MeshGemmRulesTests
{
    [TestCase(128, 32, 8)]
    [TestCase(256, 64, 64)]
    [TestCase(1024, 96, 8)]
    [TestCase(128, 256, 2048)]
    public void LegalShapesHaveNoViolation(int m, int n, int k)
    {
        Assert.That(MeshGemmRules.Violation(m, n, k), Is.Null);
        Assert.That(MeshGemmRules.IsLegal(m, n, k), Is.True);
        Assert.DoesNotThrow(() => MeshGemmRules.ThrowIfIllegal(m, n, k));
    }

    [TestCase(100, 32, 8, "M = 100", "128")]
    [TestCase(64, 32, 8, "M = 64", "multiple of 16")]
    [TestCase(0, 32, 8, "M = 0", "positive")]
    [TestCase(-128, 32, 8, "M = -128", "positive")]
    [TestCase(128, 16, 8, "N = 16", "32")]
    [TestCase(128, 0, 8, "N = 0", "positive")]
    [TestCase(128, 33, 8, "N = 33", "multiple of 4")]
    [TestCase(128, 32, 4, "K = 4", "8")]
    [TestCase(128, 32, -8, "K = -8", "positive")]
    public void IllegalShapesNameTheDimensionAndValue(int m, int n, int k, string names, string rule)
    {
        string? violation = MeshGemmRules.Violation(m, n, k);
        Assert.That(violation, Does.StartWith(names));
        Assert.That(violation, Does.Contain(rule));
        Assert.That(MeshGemmRules.IsLegal(m, n, k), Is.False);
    }

    [Test]
    public void TheFirstBrokenRuleIsReported() =>
        Assert.That(MeshGemmRules.Violation(100, 17, 3), Does.StartWith("M = 100"));

    [TestCase(100, 32, 8, "m", "M = 100")]
    [TestCase(128, 20, 8, "n", "N = 20")]
    [TestCase(128, 32, 12, "k", "K = 12")]
    public void ThrowIfIllegalNamesTheParameter(int m, int n, int k, string parameter, string mentions) =>
        Must.ThrowOutOfRange(() => MeshGemmRules.ThrowIfIllegal(m, n, k), parameter, mentions);

    [Test]
    public void QuantaFollowFromTheMesh()
    {
        Assert.That(MeshGemmRules.MeshSize, Is.EqualTo(8));
        Assert.That(MeshGemmRules.MQuantum, Is.EqualTo(128));
        Assert.That(MeshGemmRules.NQuantum, Is.EqualTo(32));
        Assert.That(MeshGemmRules.KQuantum, Is.EqualTo(8));
        Assert.That(MeshGemmRules.MQuantum / MeshGemmRules.MeshSize, Is.EqualTo(MeshGemmRules.PerCpeMQuantum));
        Assert.That(MeshGemmRules.NQuantum / MeshGemmRules.MeshSize, Is.EqualTo(MeshGemmRules.PerCpeNQuantum));
    }

    [TestCase(1, 128)]
    [TestCase(128, 128)]
    [TestCase(129, 256)]
    [TestCase(1000, 1024)]
    public void PaddedMRoundsUp(int m, int padded) => Assert.That(MeshGemmRules.PaddedM(m), Is.EqualTo(padded));

    [TestCase(1, 32)]
    [TestCase(32, 32)]
    [TestCase(33, 64)]
    public void PaddedNRoundsUp(int n, int padded) => Assert.That(MeshGemmRules.PaddedN(n), Is.EqualTo(padded));

    [TestCase(1, 8)]
    [TestCase(8, 8)]
    [TestCase(9, 16)]
    public void PaddedKRoundsUp(int k, int padded) => Assert.That(MeshGemmRules.PaddedK(k), Is.EqualTo(padded));

    [Test]
    public void PaddingGivesTheSmallestLegalShape()
    {
        for (int size = 1; size <= 1100; size++)
        {
            int m = MeshGemmRules.PaddedM(size), n = MeshGemmRules.PaddedN(size), k = MeshGemmRules.PaddedK(size);
            Assert.That(MeshGemmRules.Violation(m, n, k), Is.Null, $"size {size}");
            Assert.That(m - size, Is.InRange(0, MeshGemmRules.MQuantum - 1), $"size {size}");
            Assert.That(n - size, Is.InRange(0, MeshGemmRules.NQuantum - 1), $"size {size}");
            Assert.That(k - size, Is.InRange(0, MeshGemmRules.KQuantum - 1), $"size {size}");
        }
    }

    [Test]
    public void PaddingRejectsNonPositiveSizes()
    {
        Must.ThrowOutOfRange(() => MeshGemmRules.PaddedM(0), "m", "m = 0");
        Must.ThrowOutOfRange(() => MeshGemmRules.PaddedN(-4), "n", "n = -4");
        Must.ThrowOutOfRange(() => MeshGemmRules.PaddedK(-1), "k", "k = -1");
    }

    [Test]
    public void PaddingRejectsOverflow() =>
        Must.ThrowOutOfRange(() => MeshGemmRules.PaddedM(int.MaxValue), "m", "2147483647");
}
