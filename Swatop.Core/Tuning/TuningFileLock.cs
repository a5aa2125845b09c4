using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Swatop.Core.Tuning;

/// <summary>
/// The writers' lock of a tuning database: the file <c>{database}.lock</c> beside it, held open
/// with <see cref="FileShare.None"/> while a record is appended, plus a monitor per path for the
/// writers of one process. The lock file is created once and left in place (removing it would let
/// two writers lock two different files).
/// </summary>
/// <remarks>
/// <see cref="FileShare.None"/> is a mandatory exclusive open on Windows and, on Unix, an exclusive
/// advisory <c>flock</c> that .NET takes and every .NET process honours; a second open fails at
/// once with a sharing violation, and the writer waits and tries again. Readers never take this
/// lock: they only ever see whole lines plus, at worst, a last line still being written, which
/// they skip as torn.
/// </remarks>
internal sealed class TuningFileLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ProcessLocks = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim processLock;
    private readonly SafeFileHandle fileLock;

    private TuningFileLock(SemaphoreSlim processLock, SafeFileHandle fileLock)
    {
        this.processLock = processLock;
        this.fileLock = fileLock;
    }

    /// <summary>Takes the lock of a database, waiting up to <paramref name="timeout"/> for other writers.</summary>
    /// <exception cref="TuningException">The wait timed out (<see cref="TuningDiagnostics.LockTimeout"/>) or the lock file cannot be opened (<see cref="TuningDiagnostics.WriteFailed"/>).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting; nothing was written.</exception>
    public static TuningFileLock Acquire(string databasePath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lockPath = databasePath + ".lock";
        var processLock = ProcessLocks.GetOrAdd(databasePath, _ => new SemaphoreSlim(1, 1));
        var deadline = DateTime.UtcNow + timeout;
        if (!processLock.Wait(timeout, cancellationToken))
        {
            throw TimedOut(databasePath, lockPath, timeout, "another writer of this process");
        }

        try
        {
            var delay = TimeSpan.FromMilliseconds(5);
            while (true)
            {
                try
                {
                    var handle = File.OpenHandle(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new TuningFileLock(processLock, handle);
                }
                catch (IOException error) when (IsSharingViolation(error))
                {
                    if (DateTime.UtcNow + delay > deadline)
                    {
                        throw TimedOut(databasePath, lockPath, timeout, "another process");
                    }

                    cancellationToken.WaitHandle.WaitOne(delay);
                    cancellationToken.ThrowIfCancellationRequested();
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw new TuningException(TuningDiagnostics.WriteFailed, databasePath,
                        $"Cannot append to the tuning database '{databasePath}': its lock file '{lockPath}' cannot be opened: {error.Message}", error);
                }
            }
        }
        catch
        {
            processLock.Release();
            throw;
        }
    }

    /// <summary>Releases the lock file, then the process's monitor.</summary>
    public void Dispose()
    {
        fileLock.Dispose();
        processLock.Release();
    }

    /// <summary>
    /// Whether an open failed because another handle holds the file: <c>EWOULDBLOCK</c> from
    /// <c>flock</c> on Linux (11) and macOS (35), or a sharing or lock violation on Windows.
    /// </summary>
    private static bool IsSharingViolation(IOException error) =>
        error.GetType() == typeof(IOException)
        && (error.HResult is 11 or 35 || (error.HResult & 0xFFFF) is 32 or 33);

    private static TuningException TimedOut(string databasePath, string lockPath, TimeSpan timeout, string holder) =>
        new(TuningDiagnostics.LockTimeout, databasePath, string.Create(
            CultureInfo.InvariantCulture,
            $"Cannot append to the tuning database '{databasePath}': {holder} held its lock file '{lockPath}' for more than {timeout.TotalSeconds:0.###} s. If no Swatop is writing to it, something else holds the lock file open."));
}
