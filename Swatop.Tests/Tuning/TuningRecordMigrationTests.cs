using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using static Swatop.Tests.Tuning.TuningRecords;

namespace Swatop.Tests.Tuning;

/// <summary>A database written in format version 1 (schedules without an algorithm, operand decisions by letter) reads as version 2.</summary>
public sealed class TuningRecordMigrationTests
{
    private const string VersionOne =
        """{"formatVersion":1,"operatorSignature":"gemm b=1 m=130 n=40 k=20 ta=0 tb=0 float64","targetSignature":"sw26010 test","libraryVersion":"0.1.0","date":"2025-03-03T09:30:00+00:00","measuredSeconds":0.00125,"modelledSeconds":0.001,"schedule":{"mapping":{"m":"m","n":"n","k":"k"},"tileM":256,"tileN":64,"tileK":24,"indexOrder":["m","n"],"reductionOrder":["k"],"windowAxis":null,"window":1,"levelA":"k_t","levelB":null,"doubleBufferA":true,"doubleBufferB":false,"doubleBufferC":true,"blockedLayouts":false,"coreGroups":1,"splitAxis":null}}""";

    [Test]
    public void A_version_one_record_reads_as_the_version_two_record_it_upgrades_to()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        File.WriteAllText(path, VersionOne + "\n");
        var contents = new TuningDatabase(path).Read();
        Assert.That(contents.SkippedLines, Is.Empty);
        var record = contents.Records.Single();
        var schedule = (ImplicitGemmSchedule)record.Schedule;
        Assert.Multiple(() =>
        {
            Assert.That(record.FormatVersion, Is.EqualTo(2));
            Assert.That(record.MeasuredSeconds, Is.EqualTo(0.00125));
            Assert.That(schedule.Operands, Is.EqualTo(new OperandSchedule[] { new(OperandRole.A, "k_t", true), new(OperandRole.B), new(OperandRole.Output, null, true) }));
            Assert.That(schedule.TileK, Is.EqualTo(24));
        });
    }

    [Test]
    public void An_upgraded_record_is_written_back_in_version_two()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        File.WriteAllText(path, VersionOne + "\n");
        var record = new TuningDatabase(path).Read().Records.Single();
        var again = directory.File("again.jsonl");
        new TuningDatabase(again).Append(record);
        var line = File.ReadAllText(again);
        Assert.That(line, Does.StartWith("{\"formatVersion\":2,").And.Contain("\"schedule\":{\"algorithm\":\"implicit-gemm\",").And.Not.Contain("levelA"));
        Assert.That(new TuningDatabase(again).Read().Records.Single(), Is.EqualTo(record));
    }
}
