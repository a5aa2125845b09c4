using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;
using Swatop.Primitives;

namespace Swatop.Tests.Ir;

/// <summary>
/// The element-wise statement in the IR: its text round-trips, the verifier holds it to its buffers
/// and to the primitive's rules, and the passes treat it as the computation that writes its target.
/// </summary>
public sealed class ElementwiseIrTests
{
    private const string Declarations = "tensor x[4096] in\ntensor y[4096] out\nbuffer c[256]\nbuffer r[256]\nbuffer v[32]\nbuffer d[64] double\nreply q";

    private const string EveryForm = """
        eltwise c[0 +: 256] add r[0 +: 256]
        eltwise c[0 +: 256] add v[0 +: 32] per row
        eltwise c[0 +: 256] add v[0 +: 8] per column
        eltwise c[i * 16 +: 16] mul 0.125
        eltwise c[0 +: 256] max 0
        eltwise c[0 +: 256] min -1.5E-07
        eltwise c[0 +: 256] clamp 0, 6
        eltwise c[0 +: 64] clamp v[0 +: 8] per row, r[0 +: 64]
        """;

    private static IrException Rejects(string body, string id) => IrText.Rejects(Declarations, body, id);

    [Test]
    public void Every_form_round_trips_through_the_printer_and_the_parser()
    {
        var statement = IrParser.ParseStatement(EveryForm);
        Assert.That(IrPrinter.Print(statement), Is.EqualTo(EveryForm + "\n"));
    }

    [Test]
    public void The_parser_builds_the_operation_and_its_operands()
    {
        var statement = (Elementwise)IrParser.ParseStatement("eltwise c[0 +: 64] clamp v[0 +: 8] per column, 6");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statement.Op, Is.EqualTo(ElementwiseOp.Clamp));
            Assert.That(statement.Target, Is.EqualTo(new LdmRef("c", 0, 64)));
            Assert.That(statement.Operands[0], Is.EqualTo(ElementwiseOperand.PerColumn(new LdmRef("v", 0, 8))));
            Assert.That(statement.Operands[1], Is.EqualTo(ElementwiseOperand.Scalar(6)));
            Assert.That(statement.Rows, Is.EqualTo(new IntLiteral(8)));
        }
    }

    [TestCase("eltwise c[0 +: 256] add v[0 +: 32] per row", "32")]
    [TestCase("eltwise c[0 +: n] add v[0 +: 8] per column", "n / 8")]
    [TestCase("eltwise c[0 +: n] mul 2", "n")]
    public void The_rows_of_the_block_come_from_its_broadcast_operand(string text, string rows) =>
        Assert.That(((Elementwise)IrParser.ParseStatement(text)).Rows.ToString(), Is.EqualTo(rows));

    [Test]
    public void An_unknown_operation_is_a_syntax_error_naming_the_operations() =>
        Assert.That(Assert.Throws<IrException>(() => IrParser.ParseStatement("eltwise c[0 +: 8] sub 1"))!.Message,
            Does.Contain("expected an element-wise operation (add, mul, div, max, min or clamp) but found 'sub'"));

    [Test]
    public void A_valid_use_passes_the_verifier()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel(Declarations, "for i < 16 {\n" + string.Join("\n", EveryForm.Split('\n').Select(l => "  " + l)) + "\n}"));
        Assert.That(new VerifyPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }

    [Test]
    public void The_target_and_every_LDM_operand_must_provably_fit_their_buffer()
    {
        Assert.That(Rejects("eltwise c[8 +: 256] max 0", IrDiagnostics.LdmOutOfRange).Message, Does.Contain("buffer 'c' of 256 elements"));
        Assert.That(Rejects("eltwise c[0 +: 64] add v[0 +: 64] per row", IrDiagnostics.LdmOutOfRange).Message, Does.Contain("buffer 'v' of 32 elements"));
        Assert.That(Rejects("eltwise c[0 +: 256] add w[0 +: 256]", IrDiagnostics.UndeclaredName).Message, Does.Contain("buffer 'w'"));
    }

    [Test]
    public void The_operands_must_be_the_operation_s()
    {
        Assert.That(Rejects("eltwise c[0 +: 256] clamp 0", IrDiagnostics.ElementwiseShape).Message, Does.Contain("clamp takes 2 operands"));
        Assert.That(Rejects("eltwise c[0 +: 256] add 1, 2", IrDiagnostics.ElementwiseShape).Message, Does.Contain("add takes 1 operand,"));
    }

    [Test]
    public void Constant_shapes_must_obey_the_primitive_s_rules()
    {
        Assert.That(Rejects("eltwise c[0 +: 256] add r[0 +: 128]", IrDiagnostics.ElementwiseShape).Message,
            Does.Contain("a span operand of 128 elements must be as long as the target's 256"));
        Assert.That(Rejects("eltwise c[0 +: 100] add v[0 +: 32] per row", IrDiagnostics.ElementwiseShape).Message,
            Does.Contain("a per-row vector of 32 elements must have a positive length that divides the target's 100"));
        Assert.That(Rejects("eltwise c[0 +: 64] clamp v[0 +: 8] per row, v[8 +: 4] per column", IrDiagnostics.ElementwiseShape).Message,
            Does.Contain("imply blocks of 8 and of 16 rows"));
    }

    [Test]
    public void An_operand_that_overlaps_the_target_is_rejected() =>
        Assert.That(Rejects("eltwise c[0 +: 128] add c[64 +: 128]", IrDiagnostics.ElementwiseShape).Message,
            Does.Contain("reads c[64 +: 128], which overlaps its target c[0 +: 128]"));

    [Test]
    public void Substitution_and_simplification_reach_the_operands()
    {
        var actual = IrText.Run(new SimplifyPass(), IrText.Kernel(Declarations, "for i < 1 {\n  eltwise c[i * 64 + 0 +: 64] add r[(i + 1) * 64 +: 64]\n}"));
        IrText.AssertSame(actual, IrText.Kernel(Declarations, "eltwise c[0 +: 64] add r[64 +: 64]"));
    }

    [Test]
    public void The_facts_count_it_as_a_write_of_its_target()
    {
        var statement = IrParser.ParseStatement("for i < 4 {\n  eltwise c[i * 64 +: 64] add r[0 +: 64]\n}");
        Assert.That(StatementFacts.BuffersWritten(statement), Is.EquivalentTo(new[] { "c" }));
        Assert.That(StatementFacts.FreeVariables(IrParser.ParseStatement("eltwise c[0 +: n] mul v[j +: 1] per column")), Is.EquivalentTo(new[] { "n", "j" }));
    }

    [Test]
    public void A_hoisted_get_stays_when_an_element_wise_statement_writes_its_buffer()
    {
        var body = """
            for n < 2 {
              reset q
              get r[0 +: 64] <- x[0] block 0 gap 0 reply q
              wait q
              eltwise r[0 +: 64] mul 2
            }
            """;
        IrText.AssertSame(IrText.Run(new HoistDmaPass(), IrText.Kernel(Declarations, body)), IrText.Kernel(Declarations, body));
    }

    [Test]
    public void Double_buffering_rejects_an_element_wise_write_of_a_double_buffered_buffer()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel(Declarations, "for n < 2 {\n  eltwise d[0 +: 64] max 0\n}"));
        var e = Assert.Throws<IrException>(() => new DoubleBufferPass().Run(kernel, IrText.Context));
        Assert.That(e.Id, Is.EqualTo(IrDiagnostics.DoubleBufferShape));
        Assert.That(e.Message, Does.Contain("'eltwise d[0 +: 64] max 0' writes the double-buffered buffer 'd'"));
    }
}
