using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;
using Swatop.Hardware.Sw26010.Execution;

namespace Swatop.Tests.Ir;

/// <summary>
/// The multiply-accumulate statement in the IR: its text round-trips, the verifier holds it to its buffers, to the
/// primitive's shape rules and to a target apart from its operands (SWI0017), and the compiler refuses a constant
/// shape that breaks the rules (SWX0014).
/// </summary>
public sealed class MultiplyAccumulateIrTests
{
    private const string Declarations = "tensor x[4096] in\ntensor y[4096] out\nbuffer a[512]\nbuffer b[512]\nbuffer w[16]\nreply q";

    private static IrException Rejects(string body, string id) => IrText.Rejects(Declarations, body, id);

    [Test]
    public void Every_form_round_trips_through_the_printer_and_the_parser()
    {
        const string text = """
            mac b[0 +: 56] += w[0 +: 3] * a[0 +: 58] stride 1 dilation 1
            mac b[i * 8 +: 8] += w.next[3 +: 1] * a[i * 16 +: 15] stride 2 dilation 2
            """;
        Assert.That(IrPrinter.Print(IrParser.ParseStatement(text)), Is.EqualTo(text + "\n"));
    }

    [Test]
    public void The_parser_builds_the_references_stride_and_dilation() =>
        Assert.That(IrParser.ParseStatement("mac b[0 +: 4] += w[0 +: 3] * a[2 +: 8] stride 2 dilation 1"),
            Is.EqualTo(new MultiplyAccumulate(new LdmRef("b", 0, 4), new LdmRef("w", 0, 3), new LdmRef("a", 2, 8), 2, 1)));

    [Test]
    public void A_valid_use_passes_the_verifier()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel(Declarations, "for i < 4 {\n  mac b[i * 56 +: 56] += w[0 +: 3] * a[i * 56 +: 58] stride 1 dilation 1\n}"));
        Assert.That(new VerifyPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }

    [Test]
    public void SWI0017_a_source_too_short_is_rejected() =>
        Assert.That(Rejects("mac b[0 +: 56] += w[0 +: 3] * a[0 +: 57] stride 1 dilation 1", IrDiagnostics.MultiplyAccumulateShape).Message,
            Does.Contain("breaks the multiply-accumulate's rules: the source holds 57 elements but 56 outputs of 3 taps at stride 1 and dilation 1 read 58"));

    [Test]
    public void SWI0017_a_target_that_overlaps_its_source_is_rejected() =>
        Assert.That(Rejects("mac a[0 +: 8] += w[0 +: 3] * a[4 +: 10] stride 1 dilation 1", IrDiagnostics.MultiplyAccumulateShape).Message,
            Does.Contain("reads a[4 +: 10], which overlaps its target a[0 +: 8]"));

    [Test]
    public void SWX0014_a_constant_shape_that_breaks_the_rules_is_refused_when_compiling()
    {
        var kernel = IrParser.ParseKernel("kernel k float64\nbuffer a[64]\nbuffer b[64]\nbuffer w[4]\nbody {\n  mac b[0 +: 8] += w[0 +: 3] * a[0 +: 9] stride 1 dilation 1\n}\n");
        var e = Assert.Throws<ExecutionException>(() => CompiledKernel.Compile(kernel));
        Assert.That(e!.Id, Is.EqualTo(ExecutionDiagnostics.MultiplyAccumulateShape));
        Assert.That(e.Message, Does.Contain("the source holds 9 elements but 8 outputs of 3 taps at stride 1 and dilation 1 read 10"));
    }
}
