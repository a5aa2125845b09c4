using System.Globalization;
using CsvHelper;

namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>
/// Comma-separated text as Swatop's shape files hold it, read with CsvHelper as RFC 4180 has it: a
/// header line naming the columns, then one record per line, with a field for every column. Lines
/// whose first non-blank character is <c>#</c>, and blank lines, are skipped. Fields are trimmed
/// outside quotes; a field in quotes may hold commas, line breaks and quotes (written doubled).
/// <see cref="FormatRecord"/> writes fields the same way, so that whatever a field holds reads back
/// unchanged.
/// </summary>
public sealed class CsvTable
{
    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with
    {
        Separator = ',',
        Mode = CsvMode.Rfc4180,
        HasHeader = false,
        CommentPrefix = '#',
        SkipEmptyLines = true,
        TrimWhitespace = true,
        TrimInsideQuotes = false,
        AllowLineBreaksInQuotes = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        DetectSeparatorHint = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private static readonly CsvWriterOptions WriterOptions = CsvWriterOptions.Default with
    {
        Separator = ',',
        Mode = CsvMode.Rfc4180,
        Quoting = CsvQuoting.WhenNeededOrWhitespace,
        Injection = CsvInjection.None,
        CommentPrefix = '#',
        NewLine = "\n",
        ValidateFieldCount = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private CsvTable(string source, int headerLine, IReadOnlyList<string> columns, IReadOnlyList<CsvRecord> records) =>
        (Source, HeaderLine, Columns, Records) = (source, headerLine, columns, records);

    /// <summary>Where the table came from (a path, or the name given to the reader), for messages.</summary>
    public string Source { get; }

    /// <summary>The 1-based line of the header.</summary>
    public int HeaderLine { get; }

    /// <summary>The column names, in the input's order: each non-empty, none twice.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The records, in the input's order.</summary>
    public IReadOnlyList<CsvRecord> Records { get; }

    /// <summary>Reads the table in the file at <paramref name="path"/>; see <see cref="Read"/>.</summary>
    /// <exception cref="ShapeCsvException">The text is malformed; the message names the file, the line and, where one is at fault, the column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CsvTable ReadFile(string path, IReadOnlyList<string>? requiredColumns = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Read(reader, path, requiredColumns);
    }

    /// <summary>Reads a table from <paramref name="reader"/>.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">The input's name in messages.</param>
    /// <param name="requiredColumns">Columns the header must name, in any order; none when null.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ShapeCsvException">
    /// There is no header; the header names a column twice, has an unnamed column or lacks a required one; a
    /// record has more or fewer fields than the header has columns; or a quoted field is not closed, or text
    /// follows its closing quote. The message names the input, the line and, where one is at fault, the column.
    /// </exception>
    public static CsvTable Read(TextReader reader, string source = "<input>", IReadOnlyList<string>? requiredColumns = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        var options = ReaderOptions with { OnMalformedRecord = record => RefuseQuoting(record, source) };
        using var csv = CsvReader.Create(reader, options, leaveOpen: true);
        string[]? columns = null;
        var headerLine = 0;
        var records = new List<CsvRecord>();
        while (csv.Read())
        {
            if (IsComment(csv.RawRecord))
            {
                continue;
            }

            var line = checked((int)csv.LineNumber);
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }

            if (columns is null)
            {
                (columns, headerLine) = (fields, line);
                CheckHeader(columns, requiredColumns ?? [], source, line);
                continue;
            }

            if (fields.Length != columns.Length)
            {
                var column = fields.Length < columns.Length ? columns[fields.Length] : null;
                var detail = fields.Length < columns.Length
                    ? $"the first missing is '{column}'"
                    : $"field {columns.Length + 1} ('{fields[columns.Length]}') has no column";
                throw new ShapeCsvException(source, line, column, string.Create(CultureInfo.InvariantCulture,
                    $"{fields.Length} fields, but the header (line {headerLine}) names {columns.Length} columns; {detail}."));
            }

            records.Add(new CsvRecord(line, fields));
        }

        if (columns is null)
        {
            var naming = requiredColumns is { Count: > 0 } ? $"; it must start with one naming at least {string.Join(", ", requiredColumns)}" : string.Empty;
            throw new ShapeCsvException(source, checked((int)csv.LineNumber + 1), null, $"the file has no header line{naming}.");
        }

        return new CsvTable(source, headerLine, columns, records);
    }

    /// <summary>The index of <paramref name="column"/> among <see cref="Columns"/>, or -1 when the table has no such column.</summary>
    public int IndexOf(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The fields as one line of a table, without the line break: separated by commas; a field that holds a comma,
    /// a quote or a line break, or starts or ends with a blank (which reading would trim), and a first field that
    /// starts with <c>#</c> (which reading would take for a comment) enclosed in quotes, with its quotes doubled.
    /// </summary>
    /// <exception cref="ArgumentException">A field is null.</exception>
    public static string FormatRecord(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string[] values = [.. fields];
        if (Array.IndexOf(values, null) is var missing and >= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Field {missing + 1} is null."), nameof(fields));
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = CsvWriter.Create(text, WriterOptions, leaveOpen: true))
        {
            writer.WriteRecord(values);
        }

        var line = text.ToString();
        return line[..^WriterOptions.NewLine.Length];
    }

    /// <summary>Checks the header: every column named, none twice, the required ones there.</summary>
    private static void CheckHeader(string[] columns, IReadOnlyList<string> required, string source, int line)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length == 0)
            {
                throw new ShapeCsvException(source, line, null, string.Create(CultureInfo.InvariantCulture, $"column {i + 1} of the header has no name."));
            }

            if (Array.IndexOf(columns, columns[i], 0, i) >= 0)
            {
                throw new ShapeCsvException(source, line, columns[i], "the header names this column twice.");
            }
        }

        var missing = required.Where(c => Array.IndexOf(columns, c) < 0).ToList();
        if (missing.Count > 0)
        {
            var rule = $"it must name {string.Join(", ", required)} (any order)";
            throw new ShapeCsvException(source, line, missing[0], missing.Count == 1
                ? $"the header has no such column; {rule}."
                : $"the header lacks {string.Join(", ", missing)}; {rule}.");
        }
    }

    /// <summary>Refuses a quoted field that is not closed or has text after its closing quote; a quote inside a plain field is text.</summary>
    private static void RefuseQuoting(CsvMalformedRecord record, string source)
    {
        var line = checked((int)record.LineNumber);
        if (IsComment(record.RawRecord))
        {
            return;
        }

        switch (record.Reason)
        {
            case CsvMalformedReason.UnterminatedQuote:
                throw new ShapeCsvException(source, line, null, "a quoted field is not closed: its opening quote has no closing quote before the end of the input.");
            case CsvMalformedReason.TextAfterClosingQuote:
                throw new ShapeCsvException(source, line, null, $"text follows the closing quote of a field in '{record.RawRecord}': a quoted field ends at its closing quote (a quote inside it is written twice).");
        }
    }

    /// <summary>Whether a record is a comment: its first non-blank character is <c>#</c> (a comment at the start of a line never becomes a record).</summary>
    private static bool IsComment(ReadOnlySpan<char> raw)
    {
        var first = raw.IndexOfAnyExcept(' ', '\t');
        return first >= 0 && raw[first] == '#';
    }

    private static bool IsComment(ReadOnlySpan<byte> raw)
    {
        var first = raw.IndexOfAnyExcept((byte)' ', (byte)'\t');
        return first >= 0 && raw[first] == (byte)'#';
    }
}
