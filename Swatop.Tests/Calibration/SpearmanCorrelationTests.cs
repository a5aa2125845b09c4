using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Tests.Calibration;

/// <summary>Spearman's rank correlation against values worked out by hand.</summary>
public sealed class SpearmanCorrelationTests
{
    [Test]
    public void TiedValuesShareTheAverageOfTheirRanks()
    {
        // 10 is first; the three 20s span ranks 2..4 and get 3 each; 30 is fifth.
        Assert.That(SpearmanCorrelation.Ranks([10, 20, 20, 30, 20]), Is.EqualTo(new[] { 1, 3, 3, 5, 3 }));
        Assert.That(SpearmanCorrelation.Ranks([2.5, -1, 7]), Is.EqualTo(new[] { 2, 1, 3 }));
    }

    [Test]
    public void WithoutTiesItIsOneMinusSixSumD2OverNN2Minus1()
    {
        // Rank differences -1, 1, -1, 1, 0: 1 - 6 * 4 / (5 * 24) = 0.8.
        Assert.That(SpearmanCorrelation.Compute([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), Is.EqualTo(0.8).Within(1e-15));
    }

    [Test]
    public void WithTiesItIsThePearsonCorrelationOfTheAverageRanks()
    {
        // y's ranks are 1, 2, 3.5, 5, 3.5; against 1..5: covariance 8, variances 10 and 9.5, so 8 / sqrt(95).
        Assert.That(SpearmanCorrelation.Compute([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), Is.EqualTo(8 / Math.Sqrt(95)).Within(1e-15));
        Assert.That(8 / Math.Sqrt(95), Is.EqualTo(0.8207826816681233).Within(1e-15));
    }

    [Test]
    public void SameAndReversedOrdersGiveOneAndMinusOne()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(SpearmanCorrelation.Compute([1, 2, 3, 4], [10, 200, 300, 4000]), Is.EqualTo(1.0).Within(1e-15));
            Assert.That(SpearmanCorrelation.Compute([1, 2, 3, 4], [9, 8, 7, -6]), Is.EqualTo(-1.0).Within(1e-15));
        }
    }

    [Test]
    public void AConstantSeriesHasNoCorrelation() =>
        Assert.That(SpearmanCorrelation.Compute([1, 2, 3], [4, 4, 4]), Is.NaN);

    [Test]
    public void BadSeriesAreRefusedByName()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Compute([1, 2, 3], [1, 2]))!.Message, Does.Contain("3 and 2 values"));
            Assert.That(Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Compute([1], [1]))!.Message, Does.Contain("at least 2"));
            var nan = Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Compute([1, 2], [1, double.NaN]))!;
            Assert.That(nan.ParamName, Is.EqualTo("y"));
            Assert.That(nan.Message, Does.Contain("Value 1 of y is NaN"));
        }
    }
}
