using System.Text;
using Swatop.Core.Tuning;
using static Swatop.Tests.Tuning.TuningRecords;

namespace Swatop.Tests.Tuning;

/// <summary>
/// A line that is not a record (torn, garbage, invalid, of a newer format) is skipped with a
/// warning that names the file, the line and the id; no other record is lost, and the file is
/// never rewritten.
/// </summary>
public sealed class TuningDatabaseRecoveryTests
{
    private static string LineOf(TuningRecord record) => Encoding.UTF8.GetString(TuningDatabase.Line(record));

    [Test]
    public void A_torn_last_line_is_skipped_with_a_warning_and_the_records_before_it_are_read()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var first = Of(Gemm, 2e-3);
        var second = Of(Gemm, 1e-3, schedule: 1);
        var torn = LineOf(Of(Conv, 1e-3));
        File.WriteAllText(path, LineOf(first) + LineOf(second) + torn[..(torn.Length / 2)]);
        var logger = new CapturingLogger();

        var contents = new TuningDatabase(path, logger).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(new[] { first, second }));
            Assert.That(contents.SkippedLines.Select(s => (s.LineNumber, s.Id)), Is.EqualTo(new[] { (3, TuningDiagnostics.TornLine) }));
            Assert.That(logger.Warnings, Has.Count.EqualTo(1));
            Assert.That(logger.Warnings[0], Does.StartWith($"{path}, line 3: SWT0001: ").And.Contain("does not end with a newline"));
        });
    }

    [Test]
    public void After_a_torn_last_line_the_next_record_starts_on_a_fresh_line_and_reads_back()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var first = Of(Gemm, 2e-3);
        var torn = LineOf(Of(Conv, 1e-3));
        File.WriteAllText(path, LineOf(first) + torn[..20]);
        var database = new TuningDatabase(path);
        var next = Of(Conv, 5e-4, schedule: 2);
        database.Append(next);

        var contents = new TuningDatabase(path).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(new[] { first, next }));
            Assert.That(contents.SkippedLines.Select(s => (s.LineNumber, s.Id)), Is.EqualTo(new[] { (2, TuningDiagnostics.MalformedLine) }));
            Assert.That(File.ReadAllText(path), Does.EndWith("\n"));
        });
    }

    [Test]
    public void A_corrupt_middle_line_is_skipped_and_every_other_record_kept()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var records = Enumerable.Range(0, 4).Select(i => Of(Gemm, (i + 1) * 1e-3, schedule: i)).ToArray();
        File.WriteAllText(path, LineOf(records[0]) + LineOf(records[1]) + "}{ not json \u0001\n" + LineOf(records[2]) + LineOf(records[3]));
        var logger = new CapturingLogger();

        var contents = new TuningDatabase(path, logger).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(records));
            Assert.That(contents.SkippedLines.Single().LineNumber, Is.EqualTo(3));
            Assert.That(contents.SkippedLines.Single().Id, Is.EqualTo(TuningDiagnostics.MalformedLine));
            Assert.That(logger.Warnings.Single(), Does.StartWith($"{path}, line 3: SWT0002: the line '}}{{ not json ?' is not JSON"));
        });
    }

    [TestCase("[1, 2, 3]", TuningDiagnostics.MalformedLine, "is a JSON array, not a record")]
    [TestCase("{\"operatorSignature\":\"x\"}", TuningDiagnostics.InvalidRecord, "has no formatVersion")]
    [TestCase("{\"formatVersion\":\"one\"}", TuningDiagnostics.InvalidRecord, "formatVersion = \"one\" is not valid")]
    [TestCase("{\"formatVersion\":0}", TuningDiagnostics.InvalidRecord, "missing required properties")]
    [TestCase("{\"formatVersion\":1,\"operatorSignature\":\"gemm\"}", TuningDiagnostics.InvalidRecord, "missing required properties")]
    public void A_line_that_is_not_a_record_is_named_with_its_reason(string line, string id, string reason)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var kept = Of(Gemm, 1e-3);
        File.WriteAllText(path, line + "\n" + LineOf(kept));
        var logger = new CapturingLogger();

        var contents = new TuningDatabase(path, logger).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(new[] { kept }));
            Assert.That(contents.SkippedLines.Single().Id, Is.EqualTo(id));
            Assert.That(logger.Warnings.Single(), Does.StartWith($"{path}, line 1: {id}: ").And.Contain(reason));
        });
    }

    [Test]
    public void A_record_whose_schedule_is_not_a_schedule_is_skipped_with_the_schedules_diagnostic()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var good = Of(Gemm, 1e-3);
        var broken = LineOf(Of(Gemm, 2e-3, schedule: 1)).Replace("\"indexOrder\":[", "\"indexOrder\":[null,", StringComparison.Ordinal);
        File.WriteAllText(path, broken + LineOf(good));
        var logger = new CapturingLogger();

        var contents = new TuningDatabase(path, logger).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(new[] { good }));
            Assert.That(logger.Warnings.Single(), Does.StartWith($"{path}, line 1: SWT0003: the record is not valid").And.Contain("SWS0008"));
        });
    }

    [Test]
    public void A_record_with_a_value_out_of_range_is_skipped_naming_the_value_and_the_rule()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var negative = LineOf(Of(Gemm, 2e-3)).Replace("\"measuredSeconds\":0.002", "\"measuredSeconds\":-1", StringComparison.Ordinal);
        File.WriteAllText(path, negative);
        var logger = new CapturingLogger();

        var contents = new TuningDatabase(path, logger).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.Empty);
            Assert.That(logger.Warnings.Single(), Does.Contain("SWT0003: measuredSeconds = -1 is not valid: it must be finite and positive."));
        });
    }

    [Test]
    public void A_record_of_a_newer_format_version_is_skipped_naming_both_versions_and_stays_in_the_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var current = Of(Gemm, 1e-3);
        var newer = "{\"formatVersion\":3,\"key\":{\"operator\":\"gemm\"},\"schedules\":[]}\n";
        File.WriteAllText(path, newer + LineOf(current));
        var logger = new CapturingLogger();
        var database = new TuningDatabase(path, logger);

        var contents = database.Read();
        database.Append(Of(Conv, 1e-3));
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(new[] { current }));
            Assert.That(contents.SkippedLines.Single().Id, Is.EqualTo(TuningDiagnostics.NewerFormatVersion));
            Assert.That(logger.Warnings.Single(), Does.StartWith($"{path}, line 1: SWT0004: the record has format version 3, newer than version 2, the newest this Swatop"));
            Assert.That(File.ReadAllLines(path)[0], Is.EqualTo(newer.TrimEnd('\n')));
        });
    }

    [Test]
    public void Fields_this_version_does_not_know_are_ignored()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var record = Of(Gemm, 1e-3);
        File.WriteAllText(path, LineOf(record).Replace("{\"formatVersion\":2,", "{\"formatVersion\":2,\"comment\":{\"by\":\"hand\"},", StringComparison.Ordinal));

        Assert.That(new TuningDatabase(path).Read().Records, Is.EqualTo(new[] { record }));
    }

    [Test]
    public void Blank_lines_crlf_endings_a_byte_order_mark_and_a_whole_last_line_without_newline_are_read()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var records = Enumerable.Range(0, 3).Select(i => Of(Conv, (i + 1) * 1e-3, schedule: i)).ToArray();
        var text = "\uFEFF" + LineOf(records[0]).Replace("\n", "\r\n", StringComparison.Ordinal) + "\n   \n" + LineOf(records[1]) + LineOf(records[2]).TrimEnd('\n');
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var logger = new CapturingLogger();

        var contents = new TuningDatabase(path, logger).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.Records, Is.EqualTo(records));
            Assert.That(logger.Warnings, Is.Empty);
        });
    }

    [Test]
    public void A_skipped_line_is_warned_about_once_per_instance_however_often_it_is_read()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        File.WriteAllText(path, "garbage\n" + LineOf(Of(Gemm, 1e-3)));
        var logger = new CapturingLogger();
        var database = new TuningDatabase(path, logger);

        database.Read();
        database.Append(Of(Gemm, 2e-3, schedule: 1));
        database.Lookup(Gemm.Signature, Target);
        database.Read();
        Assert.Multiple(() =>
        {
            Assert.That(logger.Warnings, Has.Count.EqualTo(1));
            Assert.That(database.Read().SkippedLines, Has.Length.EqualTo(1));
            Assert.That(database.Read().Records, Has.Length.EqualTo(2));
        });
    }

    [Test]
    public void Reading_never_changes_the_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var text = "garbage\n" + LineOf(Of(Gemm, 1e-3)) + "{\"formatVersion\":9}\n{\"torn";
        File.WriteAllText(path, text);

        new TuningDatabase(path, new CapturingLogger()).Read();
        Assert.That(File.ReadAllText(path), Is.EqualTo(text));
    }
}
