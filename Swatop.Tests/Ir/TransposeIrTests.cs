using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

/// <summary>
/// The transpose statement in the IR: its text round-trips, the verifier holds it to its buffers, to
/// the primitive's shape rules (SWI0015) and to a source apart from its target (SWI0016), and the
/// passes treat it as the computation that writes its target.
/// </summary>
public sealed class TransposeIrTests
{
    private const string Declarations = "tensor x[4096] in\ntensor y[4096] out\nbuffer a[512]\nbuffer b[512]\nbuffer d[64] double\nreply q";

    private const string EveryForm = """
        transpose b[0 +: 512] <- a[0 +: 512] rows 16 cols 32
        transpose b[i * 16 +: 16] <- a.next[0 +: 16] rows 1 cols 16
        transpose b[0 +: n * 8] <- a[j +: n * 8] rows n cols 8
        """;

    private static IrException Rejects(string body, string id) => IrText.Rejects(Declarations, body, id);

    [Test]
    public void Every_form_round_trips_through_the_printer_and_the_parser()
    {
        var statement = IrParser.ParseStatement(EveryForm);
        Assert.That(IrPrinter.Print(statement), Is.EqualTo(EveryForm + "\n"));
    }

    [Test]
    public void The_parser_builds_the_target_the_source_and_the_shape()
    {
        var statement = (Transpose)IrParser.ParseStatement("transpose b[0 +: 512] <- a.next[64 +: 512] rows 16 cols r * 2");
        Assert.That(statement, Is.EqualTo(new Transpose(new LdmRef("b", 0, 512), new LdmRef("a", 64, 512, BufferHalf.Next), 16,
            new Binary(BinaryOp.Mul, new Var("r"), new IntLiteral(2)))));
    }

    [Test]
    public void The_printed_form_names_target_source_rows_and_columns() =>
        Assert.That(new Transpose(new LdmRef("b", 0, 512), new LdmRef("a", 0, 512), 16, 32).ToString(),
            Is.EqualTo("transpose b[0 +: 512] <- a[0 +: 512] rows 16 cols 32\n"));

    [Test]
    public void A_kernel_with_a_transpose_round_trips()
    {
        var text = IrText.Kernel(Declarations, """
            reset q
            get a[0 +: 512] <- x[0] block 0 gap 0 reply q
            wait q
            transpose b[0 +: 512] <- a[0 +: 512] rows 16 cols 32
            reset q
            put b[0 +: 512] -> y[0] block 0 gap 0 reply q
            wait q
            """);
        Assert.That(IrPrinter.Print(IrParser.ParseKernel(text)), Is.EqualTo(text));
    }

    [Test]
    public void A_missing_shape_is_a_syntax_error() =>
        Assert.That(Assert.Throws<IrException>(() => IrParser.ParseStatement("transpose b[0 +: 16] <- a[0 +: 16] rows 4"))!.Message,
            Does.Contain("expected 'cols'"));

    [Test]
    public void A_valid_use_passes_the_verifier()
    {
        var body = """
            for i < 4 {
              transpose b[i * 128 +: 128] <- a[i * 128 +: 128] rows 8 cols 16
              transpose a[0 +: 128] <- b[128 +: 128] rows 16 cols 8
              let n = 4 + i {
                transpose b[0 +: n * 8] <- a[256 +: n * 8] rows n cols 8
              }
            }
            """;
        var kernel = IrParser.ParseKernel(IrText.Kernel(Declarations, body));
        Assert.That(new VerifyPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }

    [Test]
    public void The_target_and_the_source_must_provably_fit_their_buffers()
    {
        Assert.That(Rejects("transpose b[8 +: 512] <- a[0 +: 512] rows 16 cols 32", IrDiagnostics.LdmOutOfRange).Message, Does.Contain("buffer 'b' of 512 elements"));
        Assert.That(Rejects("transpose b[0 +: 64] <- d.next[0 +: 64] rows 8 cols 8", IrDiagnostics.SingleBufferHalf).Message, Does.Contain("'d'"));
        Assert.That(Rejects("transpose b[0 +: 16] <- w[0 +: 16] rows 4 cols 4", IrDiagnostics.UndeclaredName).Message, Does.Contain("buffer 'w'"));
        Assert.That(Rejects("transpose b[0 +: 16] <- a[0 +: 16] rows k cols 4", IrDiagnostics.UnboundVariable).Message, Does.Contain("'k'"));
    }

    [Test]
    public void SWI0015_a_source_that_is_not_rows_times_columns_is_rejected() =>
        Assert.That(Rejects("transpose b[0 +: 512] <- a[0 +: 256] rows 16 cols 32", IrDiagnostics.TransposeShape).Message,
            Does.Contain("'transpose b[0 +: 512] <- a[0 +: 256] rows 16 cols 32' breaks the transpose's rules: the source holds 256 elements but a 16 x 32 block holds 512"));

    [Test]
    public void SWI0015_a_target_that_is_not_rows_times_columns_is_rejected() =>
        Assert.That(Rejects("transpose b[0 +: 128] <- a[0 +: 512] rows 16 cols 32", IrDiagnostics.TransposeShape).Message,
            Does.Contain("the target holds 128 elements but the 32 x 16 transpose holds 512"));

    [Test]
    public void SWI0015_a_negative_extent_is_rejected() =>
        Assert.That(Rejects("transpose b[0 +: 0] <- a[0 +: 0] rows -4 cols 0", IrDiagnostics.TransposeShape).Message,
            Does.Contain("rows -4 and columns 0 must not be negative"));

    [Test]
    public void SWI0015_a_let_bound_constant_shape_is_checked_too() =>
        Assert.That(Rejects("let n = 12 {\n  transpose b[0 +: 64] <- a[0 +: 64] rows n cols 8\n}", IrDiagnostics.TransposeShape).Message,
            Does.Contain("a 12 x 8 block holds 96"));

    [Test]
    public void A_shape_that_varies_is_left_to_the_run() =>
        Assert.That(new VerifyPass().Run(IrParser.ParseKernel(IrText.Kernel(Declarations, "for i < 4 {\n  transpose b[0 +: 64] <- a[0 +: 64] rows i + 1 cols 8\n}")), IrText.Context),
            Is.Not.Null);

    [Test]
    public void SWI0016_a_source_that_overlaps_the_target_is_rejected() =>
        Assert.That(Rejects("transpose a[0 +: 128] <- a[64 +: 128] rows 8 cols 16", IrDiagnostics.TransposeOverlap).Message,
            Does.Contain("reads a[64 +: 128], which overlaps its target a[0 +: 128]"));

    [Test]
    public void SWI0016_a_transpose_in_place_is_rejected() =>
        Rejects("transpose a[0 +: 16] <- a[0 +: 16] rows 4 cols 4", IrDiagnostics.TransposeOverlap);

    [Test]
    public void Two_halves_of_one_buffer_do_not_overlap()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel("buffer d[64] x2", "transpose d[0 +: 64] <- d.next[0 +: 64] rows 8 cols 8"));
        Assert.That(new VerifyPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }

    [Test]
    public void Substitution_and_simplification_reach_the_references_and_the_shape()
    {
        var actual = IrText.Run(new SimplifyPass(), IrText.Kernel(Declarations, "for i < 1 {\n  transpose b[i * 64 + 0 +: 64] <- a[(i + 1) * 64 +: 64] rows i + 8 cols 8 * (i + 1)\n}"));
        IrText.AssertSame(actual, IrText.Kernel(Declarations, "transpose b[0 +: 64] <- a[64 +: 64] rows 8 cols 8"));
    }

    [Test]
    public void The_facts_count_it_as_a_write_of_its_target_alone()
    {
        var statement = IrParser.ParseStatement("for i < 4 {\n  transpose b[i * 64 +: 64] <- a[0 +: 64] rows 8 cols 8\n}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StatementFacts.BuffersWritten(statement), Is.EquivalentTo(new[] { "b" }));
            Assert.That(StatementFacts.Leaves(statement), Has.Count.EqualTo(1));
            Assert.That(StatementFacts.FreeVariables(IrParser.ParseStatement("transpose b[o +: n] <- a[0 +: n] rows r cols c")), Is.EquivalentTo(new[] { "o", "n", "r", "c" }));
        }
    }

    [Test]
    public void A_hoisted_get_stays_when_a_transpose_writes_its_buffer()
    {
        var body = """
            for n < 2 {
              reset q
              get a[0 +: 64] <- x[0] block 0 gap 0 reply q
              wait q
              transpose a[0 +: 64] <- b[0 +: 64] rows 8 cols 8
            }
            """;
        IrText.AssertSame(IrText.Run(new HoistDmaPass(), IrText.Kernel(Declarations, body)), IrText.Kernel(Declarations, body));
    }

    [Test]
    public void A_get_whose_buffer_a_transpose_only_reads_is_hoisted()
    {
        var body = """
            for n < 2 {
              reset q
              get a[0 +: 64] <- x[0] block 0 gap 0 reply q
              wait q
              transpose b[n * 64 +: 64] <- a[0 +: 64] rows 8 cols 8
            }
            """;
        var expected = """
            reset q
            get a[0 +: 64] <- x[0] block 0 gap 0 reply q
            wait q
            for n < 2 {
              transpose b[n * 64 +: 64] <- a[0 +: 64] rows 8 cols 8
            }
            """;
        IrText.AssertSame(IrText.Run(new HoistDmaPass(), IrText.Kernel(Declarations, body)), IrText.Kernel(Declarations, expected));
    }

    [Test]
    public void Double_buffering_rejects_a_transpose_into_a_double_buffered_buffer()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel(Declarations, "for n < 2 {\n  transpose d[0 +: 64] <- a[0 +: 64] rows 8 cols 8\n}"));
        var e = Assert.Throws<IrException>(() => new DoubleBufferPass().Run(kernel, IrText.Context));
        Assert.That(e.Id, Is.EqualTo(IrDiagnostics.DoubleBufferShape));
        Assert.That(e.Message, Does.Contain("'transpose d[0 +: 64] <- a[0 +: 64] rows 8 cols 8' writes the double-buffered buffer 'd'"));
    }

    [Test]
    public void Double_buffering_prefetches_the_tile_a_transpose_reads()
    {
        var body = """
            for n < 2 {
              reset q
              get d[0 +: 64] <- x[n * 64] block 0 gap 0 reply q
              wait q
              transpose b[0 +: 64] <- d[0 +: 64] rows 8 cols 8
            }
            """;
        var actual = IrText.Run(new DoubleBufferPass(), IrText.Kernel(Declarations, body));
        Assert.That(actual, Does.Contain("get d.next[0 +: 64] <- x[").And.Contain("transpose b[0 +: 64] <- d[0 +: 64] rows 8 cols 8").And.Contain("swap d"));
    }
}
