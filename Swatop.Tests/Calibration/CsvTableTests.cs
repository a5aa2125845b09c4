using Swatop.Hardware.Sw26010.Calibration;

namespace Swatop.Tests.Calibration;

/// <summary>
/// <see cref="CsvTable"/>: RFC 4180 text with a header, comments and blank lines skipped, quoted fields that
/// round-trip through <see cref="CsvTable.FormatRecord"/>, and errors that name the line and the column.
/// </summary>
public sealed class CsvTableTests
{
    private static CsvTable Read(string text, params string[] required) => CsvTable.Read(new StringReader(text), "t.csv", required);

    private static ShapeCsvException Fails(string text, params string[] required) => Assert.Throws<ShapeCsvException>(() => Read(text, required))!;

    [Test]
    public void Comments_and_blank_lines_are_skipped_and_records_keep_their_lines()
    {
        var table = Read("# a comment, with \"a quote\n\n  # indented\n a , b \n   \n1,2\n\t# tabbed\n\"#3\",4\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.Columns, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(table.HeaderLine, Is.EqualTo(4));
            Assert.That(table.Records.Select(r => r.LineNumber), Is.EqualTo(new[] { 6, 8 }));
            Assert.That(table.Records[1].Fields, Is.EqualTo(new[] { "#3", "4" }), "a quoted # is a field, not a comment");
            Assert.That(table.IndexOf("b"), Is.EqualTo(1));
            Assert.That(table.IndexOf("c"), Is.EqualTo(-1));
        }
    }

    [Test]
    public void Any_field_round_trips_through_format_and_read()
    {
        string[] fields = ["plain", "a, b", "say \"hi\"", string.Empty, " padded ", "two\nlines", "{\"M\":\"m\",\"Tiles\":[16,32,64]}", "-5", "=1+1", "#"];
        var header = CsvTable.FormatRecord(fields.Select((_, i) => $"c{i}"));
        var line = CsvTable.FormatRecord(fields);
        Assert.That(line, Does.StartWith("plain,\"a, b\",\"say \"\"hi\"\"\",,\" padded \","));
        Assert.That(Read($"{header}\n{line}\n").Records[0].Fields, Is.EqualTo(fields));
        var comment = CsvTable.FormatRecord(["#1", "2"]);
        Assert.That(comment, Is.EqualTo("\"#1\",2"), "a first field that would read as a comment is quoted");
        Assert.That(Read($"a,b\n{comment}\n").Records[0].Fields, Is.EqualTo(new[] { "#1", "2" }));
    }

    [Test]
    public void Formatting_writes_plain_fields_as_they_are()
    {
        Assert.That(CsvTable.FormatRecord(["conv2d", "1", "", "float32", "M=oh*ow N=co"]), Is.EqualTo("conv2d,1,,float32,M=oh*ow N=co"));
        Assert.Throws<ArgumentException>(() => CsvTable.FormatRecord(["a", null!]));
    }

    [Test]
    public void A_header_with_an_unnamed_a_repeated_or_a_missing_column_is_refused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Fails("a,,b\n").Message, Is.EqualTo("t.csv, line 1: column 2 of the header has no name."));
            var twice = Fails("# c\na,b,a\n");
            Assert.That(twice.Message, Is.EqualTo("t.csv, line 2, column 'a': the header names this column twice."));
            Assert.That(twice.Column, Is.EqualTo("a"));
            var one = Fails("a,b\n", "a", "c");
            Assert.That(one.Column, Is.EqualTo("c"));
            Assert.That(one.Message, Is.EqualTo("t.csv, line 1, column 'c': the header has no such column; it must name a, c (any order)."));
            Assert.That(Fails("a\n", "a", "b", "c").Message, Is.EqualTo("t.csv, line 1, column 'b': the header lacks b, c; it must name a, b, c (any order)."));
        }
    }

    [Test]
    public void A_file_without_a_header_names_the_line_after_its_last()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Fails(string.Empty).Message, Is.EqualTo("t.csv, line 1: the file has no header line."));
            Assert.That(Fails("# only a comment").Message, Is.EqualTo("t.csv, line 2: the file has no header line."));
            Assert.That(Fails("# only a comment\n\n", "a", "b").Message, Is.EqualTo("t.csv, line 3: the file has no header line; it must start with one naming at least a, b."));
        }
    }

    [Test]
    public void A_record_with_too_few_or_too_many_fields_names_its_line_and_the_header()
    {
        var few = Fails("a,b,c\n1,2,3\n\n1,2\n");
        var many = Fails("a,b\n1,2,\"x, y\"\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(few.Message, Is.EqualTo("t.csv, line 4, column 'c': 2 fields, but the header (line 1) names 3 columns; the first missing is 'c'."));
            Assert.That(few.LineNumber, Is.EqualTo(4));
            Assert.That(many.Message, Is.EqualTo("t.csv, line 2: 3 fields, but the header (line 1) names 2 columns; field 3 ('x, y') has no column."));
        }
    }

    [Test]
    public void An_unclosed_quote_or_text_after_a_closing_quote_is_refused()
    {
        using (Assert.EnterMultipleScope())
        {
            var open = Fails("a,b\n1,2\n3,\"4\n5,6\n");
            Assert.That(open.LineNumber, Is.EqualTo(3));
            Assert.That(open.Message, Does.StartWith("t.csv, line 3: a quoted field is not closed"));
            Assert.That(Fails("a,b\n\"1\"2,3\n").Message, Does.StartWith("t.csv, line 2: text follows the closing quote of a field in '\"1\"2,3'"));
        }
    }
}
