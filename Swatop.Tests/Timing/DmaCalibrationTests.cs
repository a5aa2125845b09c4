using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Tests.Timing;

/// <summary>The DMA micro-benchmarks on the emulator reproduce the measured series they repeat.</summary>
public sealed class DmaCalibrationTests
{
    private static IEnumerable<TestCaseData> Points() =>
        from pattern in new[] { DmaPattern.StridedGap8, DmaPattern.ContiguousCopy, DmaPattern.TileGet }
        from point in DmaBandwidthTable.Default.Series(DmaMicrobenchmark.SeriesName(pattern))
        where pattern == DmaPattern.TileGet ? point.BlockBytes is 128 or 256 or 512 or 1024 : point.BlockBytes is >= 128 and <= 8192
        select new TestCaseData(pattern, point.BlockBytes, point.GigabytesPerSecond);

    [TestCaseSource(nameof(Points))]
    public void TheSimulatedBandwidthIsWithin15PercentOfTheMeasuredOne(DmaPattern pattern, int blockBytes, double measured)
    {
        var simulated = DmaMicrobenchmark.MeasureGigabytesPerSecond(pattern, blockBytes);

        Assert.That(simulated, Is.EqualTo(measured).Within(15).Percent, $"{pattern} at {blockBytes} bytes");
    }
}
