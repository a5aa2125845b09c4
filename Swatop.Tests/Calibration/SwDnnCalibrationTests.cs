using Swatop.Cli.Commands;
using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Tests.Calibration;

/// <summary>
/// The time model against the measured swDNN convolution runs: the simulated GFLOPS of every row
/// of the calibration file, in timing-only mode as <c>swatop calibrate</c> computes them.
/// </summary>
[Category("Calibration")]
public sealed class SwDnnCalibrationTests
{
    private static readonly Lazy<(double[] Simulated, double[] Measured)> Figures = new(() =>
    {
        var table = ShapeCsvReader.ReadFile(RepositoryFiles.PathOf("data/swdnn-conv-calibration.csv"));
        var measured = table.Rows.Select(row => table.PositiveNumber(row, CalibrateCommand.MeasuredColumn)).ToArray();
        var simulated = table.Rows.AsParallel().AsOrdered().Select(row => CalibrateCommand.SimulateSwDnn(row.Shape)).ToArray();
        return (simulated, measured);
    });

    [Test]
    public void AtLeast80PercentOfTheRowsAreWithin20PercentOfTheMeasuredGflops()
    {
        var (simulated, measured) = Figures.Value;
        var within = simulated.Zip(measured).Count(pair => Math.Abs(pair.First - pair.Second) <= 0.2 * pair.Second);

        Assert.That(within, Is.GreaterThanOrEqualTo(0.8 * measured.Length), $"{within} of {measured.Length} rows within 20%");
    }

    [Test]
    public void TheSimulationRanksTheRowsAsTheMeasurementsDo()
    {
        var (simulated, measured) = Figures.Value;

        Assert.That(SpearmanCorrelation.Compute(simulated, measured), Is.GreaterThanOrEqualTo(0.8));
    }
}
