namespace Swatop.Core.Tuning;

/// <summary>
/// The stable ids of the tuning database's diagnostics. The first four name a line of the file that
/// was skipped (a warning: the other records are read); the others are the errors of
/// <see cref="TuningException"/>.
/// </summary>
public static class TuningDiagnostics
{
    /// <summary>The last line has no newline and is not a whole record: an append was interrupted (or is under way). Skipped.</summary>
    public const string TornLine = "SWT0001";

    /// <summary>A line is not a JSON object. Skipped.</summary>
    public const string MalformedLine = "SWT0002";

    /// <summary>A line is JSON but not a valid record: a field is missing or out of range, or its schedule is not a schedule. Skipped; also the id of a record refused when built.</summary>
    public const string InvalidRecord = "SWT0003";

    /// <summary>A record has a format version newer than this library reads. Skipped, and kept in the file for the newer library.</summary>
    public const string NewerFormatVersion = "SWT0004";

    /// <summary>The database path names a directory, not a file.</summary>
    public const string PathIsDirectory = "SWT0005";

    /// <summary>The database file exists but cannot be read.</summary>
    public const string ReadFailed = "SWT0006";

    /// <summary>A record cannot be appended: the directory cannot be created or the file cannot be written.</summary>
    public const string WriteFailed = "SWT0007";

    /// <summary>Another writer held the database's lock file for longer than <see cref="TuningDatabase.LockTimeout"/>.</summary>
    public const string LockTimeout = "SWT0008";
}
