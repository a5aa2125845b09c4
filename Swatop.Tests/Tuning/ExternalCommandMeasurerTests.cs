using Swatop.Core.Algorithms.ImplicitGemm;
using System.Diagnostics;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Tuning;

/// <summary>The external-command measurer against small scripts that stand in for a build-and-submit script.</summary>
[Platform(Exclude = "Win")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExternalCommandMeasurerTests
{
    private static readonly OperatorSpec Gemm = Operator.Gemm(64, 40, 24);

    private static ImplicitGemmSchedule Point => ImplicitGemmSpace.For(Gemm, Sw26010Target.Default.Limits).Default();

    private static string Script(TemporaryDirectory directory, string body)
    {
        var path = directory.File("measure.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static ExternalCommandMeasurer Measurer(TemporaryDirectory directory, string script, double timeoutSeconds = 30) =>
        new(Sw26010Target.Default, script, ["--runs", "3"], TimeSpan.FromSeconds(timeoutSeconds), directory.File());

    [Test]
    public void The_time_the_command_prints_last_is_the_measurement_and_the_sources_were_there_to_build()
    {
        using var directory = new TemporaryDirectory();
        var script = Script(directory, """
            test "$1 $2" = "--runs 3" || exit 7
            test -f Makefile && test "$PWD" = "$SWATOP_KERNEL_DIR" || exit 8
            echo "built $(ls | wc -l) files"
            echo 0.00125
            """);
        var measurement = Measurer(directory, script).Measure(Gemm, Point, CancellationToken.None);
        Assert.That(measurement.Seconds, Is.EqualTo(0.00125));
        Assert.That(measurement.Schedule, Is.EqualTo(Point));
        Assert.That(Directory.GetDirectories(directory.Path), Is.Empty, "a measured candidate's folder is removed");
    }

    [Test]
    public void A_command_that_fails_names_itself_its_exit_code_its_error_output_and_keeps_the_files()
    {
        using var directory = new TemporaryDirectory();
        var script = Script(directory, "echo 'sw5cc: cannot find athread.h' >&2\nexit 2");
        var error = Assert.Throws<MeasurementException>(() => Measurer(directory, script).Measure(Gemm, Point, CancellationToken.None))!;
        Assert.That(error.Id, Is.EqualTo(MeasurementDiagnostics.CommandFailed));
        Assert.That(error.Message, Does.Contain(script).And.Contain("code 2").And.Contain("cannot find athread.h").And.Contain(error.Folder));
        Assert.That(File.Exists(Path.Combine(error.Folder, "Makefile")), "the kernel's files are kept for inspection");
    }

    [Test]
    public void A_command_that_prints_no_time_is_an_error_that_shows_what_it_printed()
    {
        using var directory = new TemporaryDirectory();
        var script = Script(directory, "echo 'job 4711 submitted'");
        var error = Assert.Throws<MeasurementException>(() => Measurer(directory, script).Measure(Gemm, Point, CancellationToken.None))!;
        Assert.That(error.Id, Is.EqualTo(MeasurementDiagnostics.NoTime));
        Assert.That(error.Message, Does.Contain("job 4711 submitted"));
    }

    [Test]
    public void A_command_that_outlives_its_timeout_is_killed()
    {
        using var directory = new TemporaryDirectory();
        var script = Script(directory, "sleep 30\necho 1");
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<MeasurementException>(() => Measurer(directory, script, timeoutSeconds: 0.5).Measure(Gemm, Point, CancellationToken.None))!;
        Assert.That(error.Id, Is.EqualTo(MeasurementDiagnostics.CommandTimedOut));
        Assert.That(error.Message, Does.Contain("0.5 s"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the command was killed, not waited for");
    }

    [Test]
    public void A_command_that_does_not_exist_cannot_be_started()
    {
        using var directory = new TemporaryDirectory();
        var error = Assert.Throws<MeasurementException>(() => Measurer(directory, directory.File("no-such-script")).Measure(Gemm, Point, CancellationToken.None))!;
        Assert.That(error.Id, Is.EqualTo(MeasurementDiagnostics.CommandNotStarted));
        Assert.That(error.Message, Does.Contain("no-such-script"));
    }

    [Test]
    public void Tuning_with_the_command_keeps_the_candidate_it_timed_fastest()
    {
        using var directory = new TemporaryDirectory();

        // The "machine" answers 4, 2, 3, then 5 ms, counting its runs in the folder above the kernels'.
        var script = Script(directory, """
            n=$(cat ../runs 2>/dev/null || echo 0); n=$((n + 1)); echo $n > ../runs
            case $n in 1) echo 0.004;; 2) echo 0.002;; 3) echo 0.003;; *) echo 0.005;; esac
            """);
        var measurer = Measurer(directory, script);
        var result = Gemm.Tune(Sw26010Target.Default, new TuningOptions { Strategy = new RandomSearch(), Measurer = measurer, Trials = 4, Seed = 3 });
        Assert.That(result.CandidatesMeasured, Is.EqualTo(4));
        Assert.That(result.MeasuredSeconds, Is.EqualTo(0.002));
    }

    [Test]
    public void A_timeout_that_is_not_positive_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExternalCommandMeasurer(Sw26010Target.Default, "sh", [], TimeSpan.Zero))!;
        Assert.That(error.ParamName, Is.EqualTo("timeout"));
    }
}
