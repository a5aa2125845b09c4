using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>
/// The tuning database: a file of <see cref="TuningRecord"/>s, one JSON object a line (JSON lines),
/// only ever appended to. <c>Tune()</c> looks an operator up here first and records what it tuned.
/// </summary>
/// <remarks>
/// <para>
/// Reading never fails for what a line holds: a torn last line, a line that is not JSON, a record
/// that is not valid and a record of a newer format version are each skipped with a warning through
/// the logger naming the file, the line, the id (<see cref="TuningDiagnostics"/>) and the reason;
/// every other record is read. Skipped lines stay in the file: the database never rewrites it.
/// </para>
/// <para>
/// A newer format version is a warning, not an error: the file may be shared with a newer Swatop,
/// whose records this one cannot read but must not lose nor stop at. The record is never read as
/// this version, and its warning names the version found and the newest version read.
/// </para>
/// <para>
/// Appending is atomic per record. A writer takes the lock file <c>{path}.lock</c> (see
/// <see cref="LockTimeout"/>), so writers of all processes append one at a time; the record goes
/// to the end of the file as one write of the whole line, newline included, then is flushed to
/// disk. A crash can at worst leave that line torn, which readers skip; if the file does not end
/// with a newline, the next record starts on a fresh line so it is not glued to the torn one.
/// (The lock is needed: .NET's <see cref="FileMode.Append"/> does not open with <c>O_APPEND</c> on
/// Unix, so two appenders would write over each other.)
/// </para>
/// <para>
/// File errors are <see cref="TuningException"/>s naming the path and the reason. An instance is
/// safe to use from several threads; it rereads the file when its length or time stamp changed.
/// </para>
/// </remarks>
public sealed class TuningDatabase
{
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly HashSet<(int Line, string Id)> warned = [];
    private (long Length, DateTime WrittenUtc, TuningDatabaseContents Contents)? cache;

    /// <summary>Opens the database at a path; the file need not exist yet (it is then empty).</summary>
    /// <param name="path">The file, such as <see cref="DefaultPath"/>; made absolute against the current directory.</param>
    /// <param name="logger">Where skipped lines are warned about; none by default.</param>
    /// <exception cref="ArgumentException">The path is empty or not a valid path.</exception>
    /// <exception cref="TuningException">The path is a directory (<see cref="TuningDiagnostics.PathIsDirectory"/>).</exception>
    public TuningDatabase(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        this.logger = logger ?? NullLogger.Instance;
        ThrowIfDirectory();
    }

    /// <summary>
    /// The user's tuning database: <c>swatop/tuning.jsonl</c> under the local application data
    /// folder (<see cref="Environment.SpecialFolder.LocalApplicationData"/>), that is
    /// <c>$XDG_DATA_HOME/swatop/tuning.jsonl</c> or <c>~/.local/share/swatop/tuning.jsonl</c> on Linux,
    /// <c>~/Library/Application Support/swatop/tuning.jsonl</c> on macOS and
    /// <c>%LOCALAPPDATA%\swatop\tuning.jsonl</c> on Windows. Writers lock <c>tuning.jsonl.lock</c> beside it.
    /// </summary>
    public static string DefaultPath { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "swatop",
        "tuning.jsonl"));

    /// <summary>The database file, absolute.</summary>
    public string Path { get; }

    /// <summary>How long <see cref="Append"/> waits for other writers to release the lock file: 30 seconds by default.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads the database: its records and the lines skipped, each skipped line warned about once
    /// per instance. A missing file (or directory) is an empty database.
    /// </summary>
    /// <returns>The records and skipped lines.</returns>
    /// <exception cref="TuningException">The path is a directory, or the file cannot be read (<see cref="TuningDiagnostics.ReadFailed"/>).</exception>
    public TuningDatabaseContents Read()
    {
        lock (gate)
        {
            ThrowIfDirectory();
            byte[] bytes;
            long length;
            DateTime written;
            try
            {
                using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                written = File.GetLastWriteTimeUtc(handle);
                length = RandomAccess.GetLength(handle);
                if (cache is { } cached && cached.Length == length && cached.WrittenUtc == written)
                {
                    return cached.Contents;
                }

                bytes = ReadAll(handle, length);
            }
            catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
            {
                cache = null;
                return new TuningDatabaseContents(Path, [], []);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new TuningException(TuningDiagnostics.ReadFailed, Path, $"Cannot read the tuning database '{Path}': {error.Message}", error);
            }

            var contents = TuningLineReader.Read(Path, bytes);
            foreach (var line in contents.SkippedLines)
            {
                if (warned.Add((line.LineNumber, line.Id)))
                {
                    TuningDatabaseLog.LineSkipped(logger, line.Path, line.LineNumber, line.Id, line.Reason);
                }
            }

            TuningDatabaseLog.Read(logger, Path, contents.Records.Length, contents.SkippedLines.Length);
            cache = (length, written, contents);
            return contents;
        }
    }

    /// <summary>
    /// The best record of an operator on a target (<see cref="TuningDatabaseContents.Best"/>: the
    /// lowest measured time, then the latest date), read from the file as it is now.
    /// </summary>
    /// <param name="operatorSignature">The operator's <see cref="OperatorSpec.Signature"/>.</param>
    /// <param name="targetSignature">The target's <see cref="ITarget.Signature"/>.</param>
    /// <returns>The record, or <see langword="null"/> when the database has none for that key.</returns>
    /// <exception cref="TuningException">The file cannot be read.</exception>
    public TuningRecord? Lookup(string operatorSignature, string targetSignature)
    {
        ArgumentNullException.ThrowIfNull(operatorSignature);
        ArgumentNullException.ThrowIfNull(targetSignature);
        var contents = Read();
        var best = contents.Best(operatorSignature, targetSignature);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var count = contents.RecordsFor(operatorSignature, targetSignature).Count();
            TuningDatabaseLog.LookedUp(logger, Path, count, operatorSignature, targetSignature, best);
        }

        return best;
    }

    /// <summary>The best record of an operator on a target, keyed by their signatures.</summary>
    /// <param name="spec">The operator.</param>
    /// <param name="target">The target.</param>
    /// <returns>The record, or <see langword="null"/> when the database has none for that key.</returns>
    /// <exception cref="TuningException">The file cannot be read.</exception>
    public TuningRecord? Lookup(OperatorSpec spec, ITarget target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        return Lookup(spec.Signature, target.Signature);
    }

    /// <summary>
    /// Appends a record as one line, atomically (see the remarks of <see cref="TuningDatabase"/>),
    /// creating the directory and the file if need be.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the wait for other writers; once the write starts it completes.</param>
    /// <exception cref="TuningException">The path is a directory, the directory or file cannot be written
    /// (<see cref="TuningDiagnostics.WriteFailed"/>), or other writers held the lock too long (<see cref="TuningDiagnostics.LockTimeout"/>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write; the file is as it was.</exception>
    public void Append(TuningRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var line = Line(record);
        ThrowIfDirectory();
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new TuningException(TuningDiagnostics.WriteFailed, Path,
                $"Cannot append to the tuning database '{Path}': its directory '{directory}' cannot be created: {error.Message}", error);
        }

        using (TuningFileLock.Acquire(Path, LockTimeout, cancellationToken))
        {
            ThrowIfDirectory();
            try
            {
                using var handle = File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                var end = RandomAccess.GetLength(handle);
                Span<byte> last = stackalloc byte[1];
                var fresh = end > 0 && RandomAccess.Read(handle, last, end - 1) == 1 && last[0] != (byte)'\n';
                var bytes = fresh ? [(byte)'\n', .. line] : line;
                RandomAccess.Write(handle, bytes, end);
                RandomAccess.FlushToDisk(handle);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new TuningException(TuningDiagnostics.WriteFailed, Path, $"Cannot append to the tuning database '{Path}': {error.Message}", error);
            }
        }

        TuningDatabaseLog.Appended(logger, Path, record);
    }

    /// <summary>The record as one line of UTF-8 JSON, newline included.</summary>
    internal static byte[] Line(TuningRecord record)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(TuningRecordJson.From(record), TuningJsonContext.Lines.TuningRecordJson);
        return [.. json, (byte)'\n'];
    }

    private static byte[] ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length)
    {
        if (length > Array.MaxLength)
        {
            throw new IOException($"The file holds {length} bytes, more than a tuning database can ({Array.MaxLength}).");
        }

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == bytes.Length ? bytes : bytes[..read];
    }

    private void ThrowIfDirectory()
    {
        if (Directory.Exists(Path))
        {
            throw new TuningException(TuningDiagnostics.PathIsDirectory, Path,
                $"The tuning database path '{Path}' is a directory, not a file: give the path of a file, such as '{System.IO.Path.Combine(Path, "tuning.jsonl")}'.");
        }
    }
}
