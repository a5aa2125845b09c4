using System.Globalization;
using Swatop.Cli.Commands;
using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Tests.Cli;

/// <summary><c>swatop report</c>: per operator, the cost model's fidelity, tuning time against exhaustive, the roofline.</summary>
public sealed class ReportCommandTests
{
    private const string Header = "layer,op,batch,in_channels,out_channels,in_height,in_width,kernel_h,kernel_w,stride_h,stride_w,pad_h,pad_w,dilation_h,dilation_w,groups,m,n,k,dtype";

    [Test]
    public void Each_operator_gets_its_figures_and_the_summary_goes_to_standard_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"swatop-report-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, $"{Header}\ng,gemm,1,,,,,,,,,,,,,,64,40,24,float32\nc,conv2d,2,8,16,9,9,3,3,1,1,1,1,1,1,1,,,,float64\n");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exitCode = ReportCommand.Run(["--shapes", path, "--samples", "4", "--measured", "2"], output, error);
            Assert.That(exitCode, Is.Zero, error.ToString());
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(3));
            Assert.That(lines[0], Is.EqualTo(Header + "," + string.Join(",", ReportCommand.ResultColumns)));
            foreach (var record in CsvTable.Read(new StringReader(output.ToString()), "output").Records)
            {
                var line = string.Join(',', record.Fields);
                var fields = record.Fields.Skip(20).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToList();
                var (points, tunedMs, rooflineMs, ratio, sampled, spearman, overBest) = (fields[0], fields[2], fields[3], fields[4], fields[5], fields[6], fields[8]);
                Assert.That(points, Is.GreaterThanOrEqualTo(sampled), line);
                Assert.That(sampled, Is.EqualTo(Math.Min(4, points)), line);
                Assert.That(tunedMs, Is.GreaterThanOrEqualTo(rooflineMs), "no kernel beats its roofline");
                Assert.That(ratio, Is.EqualTo(tunedMs / rooflineMs).Within(1).Percent);
                Assert.That(spearman, Is.InRange(-1, 1));
                Assert.That(overBest, Is.GreaterThanOrEqualTo(1));
            }

            Assert.That(error.ToString(), Does.Contain("2 of 2 operators reported").And.Contain("Spearman").And.Contain("roofline"));

            using var unsampled = new StringWriter();
            Assert.That(ReportCommand.Run(["--shapes", path, "--samples", "0", "--measured", "1"], unsampled, error), Is.Zero);
            var row = CsvTable.Read(new StringReader(unsampled.ToString()), "output").Records[0].Fields;
            Assert.That(row.Skip(20).Take(6), Has.None.Empty, "tuning and roofline figures");
            Assert.That(row.Skip(26), Is.All.Empty, "no sample, no fidelity figures");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("--samples", "-1")]
    [TestCase("--measured", "0")]
    public void A_count_below_one_names_its_option(string option, string value)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.That(ReportCommand.Run(["--shapes", "x.csv", option, value], output, error), Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain($"{option} '{value}'"));
        Assert.That(output.ToString(), Is.Empty);
    }
}
