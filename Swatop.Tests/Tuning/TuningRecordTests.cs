using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using static Swatop.Tests.Tuning.TuningRecords;

namespace Swatop.Tests.Tuning;

/// <summary>A record is keyed by the operator's and the target's signatures, carries this library's version, and refuses values that cannot be.</summary>
public sealed class TuningRecordTests
{
    [Test]
    public void A_record_for_an_operator_on_a_target_is_keyed_by_their_signatures_and_this_librarys_version()
    {
        var record = TuningRecord.For(Conv, Sw26010Target.Default, ScheduleOf(Conv), 2e-3, 1.5e-3, Monday);
        Assert.Multiple(() =>
        {
            Assert.That(record.OperatorSignature, Is.EqualTo(Conv.Signature));
            Assert.That(record.TargetSignature, Is.EqualTo(Sw26010Target.Default.Signature));
            Assert.That(record.LibraryVersion, Is.EqualTo(TuningRecord.CurrentLibraryVersion));
            Assert.That(record.FormatVersion, Is.EqualTo(TuningRecord.CurrentFormatVersion));
        });
    }

    [Test]
    public void The_library_version_is_the_informational_version_of_swatop_core()
    {
        Assert.That(TuningRecord.CurrentLibraryVersion, Does.StartWith("0.1.0"));
    }

    [Test]
    public void The_date_is_kept_in_utc()
    {
        var local = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));
        var record = Of(Gemm, 1e-3, date: local);
        Assert.Multiple(() =>
        {
            Assert.That(record.Date.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(record.Date.UtcDateTime, Is.EqualTo(new DateTime(2025, 6, 1, 10, 0, 0, DateTimeKind.Utc)));
        });
    }

    [TestCase(0.0, "measuredSeconds = 0 is not valid: it must be finite and positive.")]
    [TestCase(-1e-3, "measuredSeconds = -0.001 is not valid: it must be finite and positive.")]
    [TestCase(double.NaN, "measuredSeconds = NaN is not valid: it must be finite and positive.")]
    [TestCase(double.PositiveInfinity, "measuredSeconds = Infinity is not valid: it must be finite and positive.")]
    public void A_measured_time_that_cannot_be_is_refused(double seconds, string message)
    {
        Assert.That(
            () => new TuningRecord(Gemm.Signature, Target, ScheduleOf(Gemm), seconds, 0, Monday),
            Throws.ArgumentException.With.Message.StartsWith($"SWT0003: {message}").And.Property("ParamName").EqualTo("measuredSeconds"));
    }

    [Test]
    public void A_negative_modelled_time_is_refused()
    {
        Assert.That(
            () => new TuningRecord(Gemm.Signature, Target, ScheduleOf(Gemm), 1e-3, -2, Monday),
            Throws.ArgumentException.With.Message.StartsWith("SWT0003: modelledSeconds = -2 is not valid: it must be finite and not negative, or null when no model predicted it."));
    }

    [TestCase("", "x", null, "operatorSignature = '' is not valid: it must not be empty.")]
    [TestCase("x", " ", null, "targetSignature = ' ' is not valid: it must not be empty.")]
    [TestCase("x", "y", "", "libraryVersion = '' is not valid: it must not be empty.")]
    public void An_empty_key_or_version_is_refused(string operatorSignature, string targetSignature, string? libraryVersion, string message)
    {
        Assert.That(
            () => new TuningRecord(operatorSignature, targetSignature, ScheduleOf(Gemm), 1e-3, 0, Monday, libraryVersion),
            Throws.ArgumentException.With.Message.StartsWith($"SWT0003: {message}"));
    }

    [Test]
    public void A_missing_schedule_is_refused()
    {
        Assert.That(
            () => new TuningRecord("x", "y", null!, 1e-3, 0, Monday),
            Throws.ArgumentException.With.Message.StartsWith("SWT0003: schedule = null is not valid: it must be set."));
    }

    [Test]
    public void A_record_prints_its_key_schedule_times_version_and_date_in_one_line()
    {
        var record = new TuningRecord("gemm b=1 m=130 n=40 k=20 ta=0 tb=0 float64", "sw26010 test", ScheduleOf(Gemm), 1.234e-3, 1.1e-3, Monday, "0.1.0");
        Assert.That(record.ToString(), Is.EqualTo(
            $"gemm b=1 m=130 n=40 k=20 ta=0 tb=0 float64 on sw26010 test: {ScheduleOf(Gemm)}; measured 1.234 ms, modelled 1.1 ms; Swatop 0.1.0, 2025-03-03T09:30:00Z"));
    }

    [Test]
    public void A_record_of_a_black_box_search_has_no_modelled_time_and_round_trips()
    {
        var sample = TuningRecords.Of(TuningRecords.Gemm, 1e-3);
        var record = new TuningRecord(sample.OperatorSignature, sample.TargetSignature, sample.Schedule, 1e-3, null, sample.Date);
        Assert.That(record.ModelledSeconds, Is.Null);
        Assert.That(record.ToString(), Does.Contain("no model"));
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(System.IO.Path.Combine(directory.Path, "tuning.jsonl"));
        database.Append(record);
        Assert.That(new TuningDatabase(database.Path).Read().Records.Single().ModelledSeconds, Is.Null);
    }
}
