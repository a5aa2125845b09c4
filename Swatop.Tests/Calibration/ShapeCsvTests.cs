using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Kernels;

namespace Swatop.Tests.Calibration;

/// <summary>Reading and writing shape files: any column order, comments, passed-through columns, and errors that name the line and the column.</summary>
public sealed class ShapeCsvTests
{
    private const string Header = "batch,in_channels,out_channels,in_height,in_width,kernel";

    private static ShapeTable Read(string text) => ShapeCsvReader.Read(new StringReader(text), "shapes.csv");

    private static ShapeCsvException Fails(string text) => Assert.Throws<ShapeCsvException>(() => Read(text))!;

    [Test]
    public void ReadsShapesInAnyColumnOrderAndKeepsTheOtherColumns()
    {
        var table = Read("""
            # measured on 4 core groups

            note, kernel ,in_width,in_height,out_channels,in_channels,batch,gflops
            first,3,18,18,128,256,128,1484.8
              # an indented comment
            second,1,5,6,32,64,128,7
            """);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.Columns, Is.EqualTo(new[] { "note", "kernel", "in_width", "in_height", "out_channels", "in_channels", "batch", "gflops" }));
            Assert.That(table.HeaderLine, Is.EqualTo(3));
            Assert.That(table.Rows, Has.Count.EqualTo(2));
            Assert.That(table.Rows[0].Shape, Is.EqualTo(new SwDnnShape(128, 256, 128, 18, 18, 3)));
            Assert.That(table.Rows[1].Shape, Is.EqualTo(new SwDnnShape(128, 64, 32, 6, 5, 1)));
            Assert.That(table.Rows[0].LineNumber, Is.EqualTo(4));
            Assert.That(table.Rows[1].LineNumber, Is.EqualTo(6));
            Assert.That(table.Rows[1].Fields, Is.EqualTo(new[] { "second", "1", "5", "6", "32", "64", "128", "7" }));
            Assert.That(table.Field(table.Rows[0], "note"), Is.EqualTo("first"));
            Assert.That(table.PositiveNumber(table.Rows[0], "gflops"), Is.EqualTo(1484.8));
        }
    }

    [Test]
    public void ReadsTheMeasuredRunsFile()
    {
        var table = ShapeCsvReader.ReadFile(RepositoryFiles.PathOf("data/swdnn-conv-calibration.csv"));
        Assert.That(table.Rows, Has.Count.EqualTo(64));
        Assert.That(table.Rows[0].Shape, Is.EqualTo(new SwDnnShape(128, 128, 128, 18, 18, 3)));
    }

    [Test]
    public void AMissingColumnNamesTheHeaderLineAndTheColumn()
    {
        var error = Fails("# shapes\nbatch,in_channels,out_channels,in_height,in_width\n128,8,32,5,5\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.LineNumber, Is.EqualTo(2));
            Assert.That(error.Column, Is.EqualTo("kernel"));
            Assert.That(error.Message, Does.StartWith("shapes.csv, line 2, column 'kernel': the header has no such column"));
        }
    }

    [TestCase("128,8,32,5,5,x", "kernel", "SWD0026", "kernel = 'x' is not an integer")]
    [TestCase("128,8,32,5.5,5,1", "in_height", "SWD0026", "'5.5' is not an integer")]
    [TestCase("128,8,32,5,5,99999999999", "kernel", "SWD0026", "'99999999999' is not an integer")]
    [TestCase("128,,32,5,5,1", "in_channels", "SWD0025", "in_channels is missing or empty")]
    [TestCase("0,8,32,5,5,1", "batch", "SWD0014", "batch = 0 is not a valid batch size: it must be at least 1")]
    [TestCase("128,8,-32,5,5,1", "out_channels", "SWD0014", "outChannels = -32 is not a valid output channel count: it must be at least 1")]
    [TestCase("128,8,32,5,2,3", "kernel", "SWD0020", "kernel.Width = 3 is larger than the padded input width 2")]
    public void ABadFieldNamesItsLineColumnAndRule(string row, string column, string id, string rule)
    {
        var error = Fails($"{Header}\n\n{row}\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.LineNumber, Is.EqualTo(3));
            Assert.That(error.Column, Is.EqualTo(column));
            Assert.That(error.Message, Does.StartWith($"shapes.csv, line 3, column '{column}': {id}: "));
            Assert.That(error.Message, Does.Contain(rule));
            Assert.That(error.Message, Does.Not.Contain("(Parameter"));
        }
    }

    [Test]
    public void QuotedFieldsHoldCommasQuotesAndLineBreaks()
    {
        var table = Read("note,batch,in_channels,out_channels,in_height,in_width,kernel\n\"first, \"\"the\"\" one\", 128 ,8,32, \"6\" ,6,3\n\"two\nlines\",128,8,32,5,5,1\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.Rows[0].Fields, Is.EqualTo(new[] { "first, \"the\" one", "128", "8", "32", "6", "6", "3" }));
            Assert.That(table.Rows[0].Shape, Is.EqualTo(new SwDnnShape(128, 8, 32, 6, 6, 3)));
            Assert.That(table.Rows[1].Fields[0], Is.EqualTo("two\nlines"));
            Assert.That(table.Rows[1].LineNumber, Is.EqualTo(3), "a record's line is where it starts");
        }
    }

    [Test]
    public void BrokenQuotingNamesTheLine()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Fails($"{Header}\n128,8,32,5,5,1\n\"128,8,32,5,5,1\n").Message, Does.StartWith("shapes.csv, line 3: a quoted field is not closed"));
            Assert.That(Fails($"{Header}\n\"128\"x,8,32,5,5,1\n").Message, Does.StartWith("shapes.csv, line 2: text follows the closing quote"));
            Assert.That(Read($"{Header},note\n128,8,32,5,5,1,6\"6 screen\n").Rows[0].Fields[6], Is.EqualTo("6\"6 screen"), "a quote inside a plain field is text");
        }
    }

    [Test]
    public void AWrongFieldCountNamesTheLine()
    {
        var shortRow = Fails($"{Header}\n128,8,32,5,5,1\n128,8,32,5\n");
        var longRow = Fails($"{Header}\n128,8,32,5,5,1,extra\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shortRow.LineNumber, Is.EqualTo(3));
            Assert.That(shortRow.Column, Is.EqualTo("in_width"));
            Assert.That(shortRow.Message, Does.Contain("line 3, column 'in_width': 4 fields, but the header (line 1) names 6 columns; the first missing is 'in_width'"));
            Assert.That(longRow.LineNumber, Is.EqualTo(2));
            Assert.That(longRow.Column, Is.Null);
            Assert.That(longRow.Message, Does.Contain("line 2: 7 fields, but the header (line 1) names 6 columns; field 7 ('extra') has no column"));
        }
    }

    [Test]
    public void ABadHeaderIsRefused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Fails($"{Header},kernel\n").Message, Does.Contain("line 1, column 'kernel': the header names this column twice"));
            Assert.That(Fails($"{Header},,x\n").Message, Does.Contain("line 1: column 7 of the header has no name"));
            Assert.That(Fails("# only a comment\n\n").Message, Does.Contain("line 3: the file has no header line"));
        }
    }

    [Test]
    public void ConstructorParametersMapToTheirColumns()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ShapeCsvReader.ColumnOf("inChannels"), Is.EqualTo("in_channels"));
            Assert.That(ShapeCsvReader.ColumnOf("kernel"), Is.EqualTo("kernel"));
            Assert.That(ShapeCsvReader.ColumnOf("coreGroups"), Is.Null);
            Assert.That(ShapeCsvReader.ColumnOf(null), Is.Null);
        }
    }

    [Test]
    public void AMeasuredFigureMustBeAPositiveNumber()
    {
        var table = Read($"{Header},gflops\n128,8,32,5,5,1,fast\n128,8,32,5,5,1,-3\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<ShapeCsvException>(() => table.PositiveNumber(table.Rows[0], "gflops"))!.Message, Is.EqualTo("shapes.csv, line 2, column 'gflops': 'fast' is not a number."));
            Assert.That(Assert.Throws<ShapeCsvException>(() => table.PositiveNumber(table.Rows[1], "gflops"))!.Message, Is.EqualTo("shapes.csv, line 3, column 'gflops': -3 must be positive."));
            Assert.That(Assert.Throws<ShapeCsvException>(() => table.Field(table.Rows[1], "speed"))!.Message, Is.EqualTo("shapes.csv, line 1, column 'speed': the header has no such column."));
        }
    }

    [Test]
    public void TheWriterPrintsTheInputColumnsThenTheExtraOnes()
    {
        var table = Read("kernel,note,batch,in_channels,out_channels,in_height,in_width\n3, a ,128,8,32,6,6\n1,b,128,8,32,5,5\n");
        using var text = new StringWriter();
        var writer = new ShapeCsvWriter(text, table.Columns, ["simulated_gflops", "seconds"]);
        writer.WriteHeader();
        writer.WriteRow(table.Rows[0], ShapeCsvWriter.Format(1234.5), ShapeCsvWriter.Format(0.1));
        writer.WriteRow(table.Rows[1], "7", "8");
        Assert.That(text.ToString(), Is.EqualTo(
            "kernel,note,batch,in_channels,out_channels,in_height,in_width,simulated_gflops,seconds\n" +
            "3,a,128,8,32,6,6,1234.5,0.1\n" +
            "1,b,128,8,32,5,5,7,8\n"));
        Assert.Throws<ArgumentException>(() => writer.WriteRow(table.Rows[0], "1"));
        Assert.Throws<ArgumentException>(() => _ = new ShapeCsvWriter(text, table.Columns, ["kernel"]));
        Assert.Throws<ArgumentException>(() => _ = new ShapeCsvWriter(text, table.Columns, [""]));
    }

    [Test]
    public void WhatTheWriterWritesReadsBackWithTheSameFields()
    {
        var table = Read("note,batch,in_channels,out_channels,in_height,in_width,kernel\n\"a, b\",128,8,32,6,6,3\n");
        using var text = new StringWriter();
        var writer = new ShapeCsvWriter(text, table.Columns, ["schedule", "error"]);
        writer.WriteHeader();
        writer.WriteRow(table.Rows[0], "{\"M\":\"n\",\"Tiles\":[16,32]}", " spaced ");
        Assert.That(text.ToString(), Is.EqualTo(
            "note,batch,in_channels,out_channels,in_height,in_width,kernel,schedule,error\n" +
            "\"a, b\",128,8,32,6,6,3,\"{\"\"M\"\":\"\"n\"\",\"\"Tiles\"\":[16,32]}\",\" spaced \"\n"));
        var again = Read(text.ToString());
        Assert.That(again.Rows[0].Fields, Is.EqualTo(new[] { "a, b", "128", "8", "32", "6", "6", "3", "{\"M\":\"n\",\"Tiles\":[16,32]}", " spaced " }));
    }
}
