using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Target;
using static Swatop.Tests.Tuning.TuningRecords;

namespace Swatop.Tests.Tuning;

/// <summary>Records appended to the database read back equal, and a lookup finds the best one of its key.</summary>
public sealed class TuningDatabaseTests
{
    [Test]
    public void Records_appended_read_back_equal_and_in_order()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        TuningRecord[] records =
        [
            Of(Gemm, 2.5e-3, schedule: 0),
            Of(Gemm, 1.25e-3, schedule: 7, date: Monday.AddHours(1)),
            Of(Conv, 3e-4, schedule: 3, modelledSeconds: 0),
            new TuningRecord("fc b=1 in=2 out=3 float64", "other-target", ScheduleOf(Gemm, 11), 0.1 / 3, 1e-9, new DateTimeOffset(2024, 12, 31, 23, 59, 59, 123, TimeSpan.FromHours(8)), "0.0.1-test"),
        ];
        var database = new TuningDatabase(path);
        foreach (var record in records)
        {
            database.Append(record);
        }

        var contents = new TuningDatabase(path).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(records));
            Assert.That(contents.SkippedLines, Is.Empty);
            Assert.That(File.ReadAllLines(path), Has.Length.EqualTo(records.Length));
        });
    }

    [Test]
    public void A_record_keeps_every_field_exactly()
    {
        using var directory = new TemporaryDirectory();
        var date = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(-5)).AddTicks(9);
        var record = new TuningRecord("gemm b=1 m=130 n=40 k=20 ta=0 tb=0 float64", Target, ScheduleOf(Gemm, 5), 0.1 + 0.2, 1.0 / 3, date, "9.8.7+abc");
        var database = new TuningDatabase(directory.File("db.jsonl"));
        database.Append(record);

        var back = database.Read().Records.Single();
        Assert.Multiple(() =>
        {
            Assert.That(back.OperatorSignature, Is.EqualTo(record.OperatorSignature));
            Assert.That(back.TargetSignature, Is.EqualTo(record.TargetSignature));
            Assert.That(back.LibraryVersion, Is.EqualTo("9.8.7+abc"));
            Assert.That(back.Schedule, Is.EqualTo(record.Schedule));
            Assert.That(back.MeasuredSeconds, Is.EqualTo(0.1 + 0.2));
            Assert.That(back.ModelledSeconds, Is.EqualTo(1.0 / 3));
            Assert.That(back.Date, Is.EqualTo(date));
            Assert.That(back.Date.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(back.FormatVersion, Is.EqualTo(TuningRecord.CurrentFormatVersion));
        });
    }

    [Test]
    public void Lookup_picks_the_lowest_measured_time_of_the_key()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(directory.File("tuning.jsonl"));
        database.Append(Of(Gemm, 3e-3, schedule: 1));
        database.Append(Of(Gemm, 1e-3, schedule: 2));
        database.Append(Of(Gemm, 2e-3, schedule: 3));
        database.Append(Of(Conv, 1e-6, schedule: 0));
        database.Append(new TuningRecord(Gemm.Signature, "another target", ScheduleOf(Gemm, 4), 1e-7, 1e-7, Monday));

        var best = database.Lookup(Gemm, Sw26010Target.Default);
        Assert.That(best, Is.Not.Null);
        Assert.That(best!.MeasuredSeconds, Is.EqualTo(1e-3));
        Assert.That(best.Schedule, Is.EqualTo(ScheduleOf(Gemm, 2)));
    }

    [Test]
    public void Lookup_breaks_a_tie_of_times_by_the_latest_date()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(directory.File("tuning.jsonl"));
        database.Append(Of(Gemm, 1e-3, schedule: 1, date: Monday));
        database.Append(Of(Gemm, 1e-3, schedule: 2, date: Monday.AddDays(2)));
        database.Append(Of(Gemm, 1e-3, schedule: 3, date: Monday.AddDays(1)));

        Assert.That(database.Lookup(Gemm.Signature, Target)!.Schedule, Is.EqualTo(ScheduleOf(Gemm, 2)));
    }

    [Test]
    public void Lookup_of_an_operator_or_target_without_records_finds_nothing()
    {
        using var directory = new TemporaryDirectory();
        var database = new TuningDatabase(directory.File("tuning.jsonl"));
        database.Append(Of(Gemm, 1e-3));
        var otherTarget = new Sw26010Target(Sw26010Spec.Default with { CoreGroups = 2 });

        Assert.Multiple(() =>
        {
            Assert.That(database.Lookup(Conv, Sw26010Target.Default), Is.Null);
            Assert.That(database.Lookup(Gemm, otherTarget), Is.Null);
        });
    }

    [Test]
    public void A_missing_file_is_an_empty_database_and_is_not_created_by_reading()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("not", "yet", "tuning.jsonl");
        var logger = new CapturingLogger();
        var database = new TuningDatabase(path, logger);

        Assert.Multiple(() =>
        {
            Assert.That(database.Read().Records, Is.Empty);
            Assert.That(database.Lookup(Gemm, Sw26010Target.Default), Is.Null);
            Assert.That(File.Exists(path), Is.False);
            Assert.That(logger.Warnings, Is.Empty);
        });
    }

    [Test]
    public void Appending_creates_the_missing_directories_and_the_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("a", "b", "tuning.jsonl");
        var database = new TuningDatabase(path);
        database.Append(Of(Gemm, 1e-3));

        Assert.That(database.Read().Records, Has.Length.EqualTo(1));
    }

    [Test]
    public void A_second_instance_sees_what_the_first_appended_after_it_read()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var reader = new TuningDatabase(path);
        var writer = new TuningDatabase(path);
        writer.Append(Of(Gemm, 2e-3));
        Assert.That(reader.Read().Records, Has.Length.EqualTo(1));

        writer.Append(Of(Gemm, 1e-3, schedule: 1));
        Assert.That(reader.Lookup(Gemm.Signature, Target)!.MeasuredSeconds, Is.EqualTo(1e-3));
    }

    [Test]
    public void Each_record_is_one_line_of_json_with_the_format_version_first()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        new TuningDatabase(path).Append(Of(Conv, 1e-3));

        var text = File.ReadAllText(path);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.EndWith("\n"));
            Assert.That(text.TrimEnd('\n'), Does.Not.Contain('\n'));
            Assert.That(text, Does.StartWith("{\"formatVersion\":2,\"operatorSignature\":\"conv2d "));
            Assert.That(text, Does.Contain($"\"targetSignature\":\"{Target}\""));
            Assert.That(text, Does.Contain($"\"schedule\":{ScheduleOf(Conv).ToJson()}"));
        });
    }

    [Test]
    public void Default_path_is_the_users_tuning_database_under_local_application_data()
    {
        var folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        Assert.Multiple(() =>
        {
            Assert.That(Path.IsPathFullyQualified(TuningDatabase.DefaultPath), Is.True);
            Assert.That(TuningDatabase.DefaultPath, Is.EqualTo(Path.GetFullPath(Path.Combine(folder, "swatop", "tuning.jsonl"))));
        });
    }
}
