using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Swatop.Core.Tuning;

/// <summary>
/// Reads the bytes of a tuning database: one record per line, a line that is not a record skipped
/// with its reason, never at the cost of another line.
/// </summary>
internal static class TuningLineReader
{
    private const int PreviewLength = 60;

    /// <summary>Splits the bytes into lines and reads each.</summary>
    public static TuningDatabaseContents Read(string path, ReadOnlyMemory<byte> bytes)
    {
        var records = ImmutableArray.CreateBuilder<TuningRecord>();
        var skipped = ImmutableArray.CreateBuilder<SkippedLine>();
        if (bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        var number = 0;
        while (!bytes.IsEmpty)
        {
            number++;
            var end = bytes.Span.IndexOf((byte)'\n');
            var torn = end < 0;
            var line = torn ? bytes : bytes[..end];
            bytes = torn ? ReadOnlyMemory<byte>.Empty : bytes[(end + 1)..];
            if (line.Span.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.Span.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            var (record, problem) = ReadLine(line, torn);
            if (record is not null)
            {
                records.Add(record);
            }
            else
            {
                skipped.Add(new SkippedLine(path, number, problem.Id, problem.Reason));
            }
        }

        return new TuningDatabaseContents(path, records.ToImmutable(), skipped.ToImmutable());
    }

    /// <summary>Reads one line: a record, or the id and reason it is not one.</summary>
    private static (TuningRecord? Record, (string Id, string Reason) Problem) ReadLine(ReadOnlyMemory<byte> line, bool torn)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException error)
        {
            return torn
                ? (null, (TuningDiagnostics.TornLine, $"the file does not end with a newline and its last line {Preview(line)} is not a whole record "
                    + $"(an append was interrupted, or is under way): skipped. {error.Message}"))
                : (null, (TuningDiagnostics.MalformedLine, $"the line {Preview(line)} is not JSON: skipped. {error.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, (TuningDiagnostics.MalformedLine, $"the line {Preview(line)} is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not a record (an object): skipped."));
            }

            if (!root.TryGetProperty("formatVersion", out var versionElement))
            {
                return (null, (TuningDiagnostics.InvalidRecord, $"the line {Preview(line)} has no formatVersion, so it is not a tuning record: skipped."));
            }

            if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version))
            {
                return (null, (TuningDiagnostics.InvalidRecord, $"formatVersion = {versionElement.GetRawText()} is not valid: it must be a whole number: skipped."));
            }

            if (version > TuningRecord.CurrentFormatVersion)
            {
                return (null, (TuningDiagnostics.NewerFormatVersion, string.Create(
                    CultureInfo.InvariantCulture,
                    $"the record has format version {version}, newer than version {TuningRecord.CurrentFormatVersion}, the newest this Swatop ({TuningRecord.CurrentLibraryVersion}) reads: skipped, and left in the file for the newer Swatop that wrote it; upgrade Swatop to use it.")));
            }

            try
            {
                var json = root.Deserialize(TuningJsonContext.Lines.TuningRecordJson)
                    ?? throw new JsonException("The record is null.");
                return (json.ToRecord(), default);
            }
            catch (JsonException error)
            {
                return (null, (TuningDiagnostics.InvalidRecord, $"the line {Preview(line)} is not a valid record: skipped. {error.Message}"));
            }
            catch (ArgumentException error)
            {
                return (null, (TuningDiagnostics.InvalidRecord, $"the record is not valid: skipped. {error.Message}"));
            }
        }
    }

    /// <summary>The start of a line, quoted, for a warning.</summary>
    private static string Preview(ReadOnlyMemory<byte> line)
    {
        var text = Encoding.UTF8.GetString(line.Span);
        var shown = new StringBuilder(PreviewLength + 2);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, PreviewLength)))
        {
            shown.Append(char.IsControl(c) ? '?' : c);
        }

        return text.Length > PreviewLength ? $"'{shown}...'" : $"'{shown}'";
    }
}
