using Swatop.Core.Tuning;
using static Swatop.Tests.Tuning.TuningRecords;

namespace Swatop.Tests.Tuning;

/// <summary>
/// Writers append one whole line at a time: concurrent appenders lose no record and tear none; a
/// writer that cannot get the lock, or is cancelled while waiting, leaves the file as it was.
/// </summary>
public sealed class TuningDatabaseConcurrencyTests
{
    private const int Writers = 4;
    private const int RecordsPerWriter = 50;

    [Test]
    public void Appenders_on_several_threads_and_instances_keep_every_record_whole()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var expected = new TuningRecord[Writers][];
        for (var w = 0; w < Writers; w++)
        {
            expected[w] = [.. Enumerable.Range(0, RecordsPerWriter).Select(i => Of(w % 2 == 0 ? Gemm : Conv, (w * RecordsPerWriter) + i + 1, schedule: i % 5))];
        }

        using var start = new Barrier(Writers);
        var threads = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            var database = new TuningDatabase(path);
            start.SignalAndWait();
            foreach (var record in expected[w])
            {
                database.Append(record);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var contents = new TuningDatabase(path).Read();
        Assert.Multiple(() =>
        {
            Assert.That(contents.SkippedLines, Is.Empty);
            Assert.That(contents.Records, Is.EquivalentTo(expected.SelectMany(r => r)));
            Assert.That(File.ReadAllLines(path), Has.Length.EqualTo(Writers * RecordsPerWriter));
            for (var w = 0; w < Writers; w++)
            {
                var mine = contents.Records.Where(r => expected[w].Contains(r));
                Assert.That(mine, Is.EqualTo(expected[w]), $"writer {w}'s records in its order");
            }
        });
    }

    [Test]
    public void A_writer_that_cannot_get_the_lock_fails_naming_the_lock_file_and_leaves_the_file_as_it_was()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var database = new TuningDatabase(path) { LockTimeout = TimeSpan.FromMilliseconds(50) };
        database.Append(Of(Gemm, 1e-3));
        var before = File.ReadAllBytes(path);

        using (new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Assert.Throws<TuningException>(() => database.Append(Of(Gemm, 2e-3, schedule: 1)));
            Assert.Multiple(() =>
            {
                Assert.That(error!.Id, Is.EqualTo(TuningDiagnostics.LockTimeout));
                Assert.That(error.Path, Is.EqualTo(path));
                Assert.That(error.Message, Does.StartWith("SWT0008: ").And.Contain($"'{path}.lock'"));
            });
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        database.Append(Of(Gemm, 2e-3, schedule: 1));
        Assert.That(database.Read().Records, Has.Length.EqualTo(2));
    }

    [Test]
    public void Cancelling_a_writer_that_waits_for_the_lock_leaves_the_file_as_it_was()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tuning.jsonl");
        var database = new TuningDatabase(path) { LockTimeout = TimeSpan.FromMinutes(5) };
        database.Append(Of(Gemm, 1e-3));
        var before = File.ReadAllBytes(path);

        using (new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            using var cancellation = new CancellationTokenSource();
            cancellation.CancelAfter(TimeSpan.FromMilliseconds(20));
            Assert.That(() => database.Append(Of(Gemm, 2e-3, schedule: 1), cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
    }

    [Test]
    public void A_cancelled_append_writes_nothing_and_creates_nothing()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("sub", "tuning.jsonl");
        var database = new TuningDatabase(path);

        Assert.That(() => database.Append(Of(Gemm, 1e-3), new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.Exists(directory.File("sub")), Is.False);
    }
}
