using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

public class VerifyPassTests
{
    private const string Declarations = "tensor x[1024] in\ntensor y[1024] out\nbuffer a[64]\nbuffer b[64] x2\nbuffer c[64]\nreply r";

    private static IrException Rejects(string body, string id, PassContext? context = null, string declarations = Declarations) =>
        IrText.Rejects(declarations, body, id, context);

    [Test]
    public void A_valid_kernel_passes_unchanged()
    {
        var kernel = new SimplifyPass().Run(IrParser.ParseKernel(IrText.Convolution), IrText.Context);
        Assert.That(new VerifyPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }

    [Test]
    public void Undeclared_tensors_buffers_and_replies_are_named()
    {
        Assert.That(Rejects("fill d[0 +: 1] = 0", IrDiagnostics.UndeclaredName).Message, Does.Contain("buffer 'd'").And.Contain("fill d[0 +: 1] = 0"));
        Assert.That(Rejects("get a[0 +: 8] <- z[0] block 0 gap 0 reply r", IrDiagnostics.UndeclaredName).Message, Does.Contain("tensor 'z'"));
        Assert.That(Rejects("wait q", IrDiagnostics.UndeclaredName).Message, Does.Contain("reply 'q'"));
    }

    [Test]
    public void Declaring_a_name_twice_is_rejected() =>
        Assert.That(Rejects("", IrDiagnostics.DuplicateDeclaration, declarations: "buffer a[8]\nbuffer a[16]").Message, Does.Contain("buffer 'a' is declared twice"));

    [Test]
    public void Unbound_variables_are_rejected() =>
        Assert.That(Rejects("for i < 4 {\n  fill a[j +: 1] = 0\n}", IrDiagnostics.UnboundVariable).Message, Does.Contain("uses 'j'"));

    [Test]
    public void A_name_bound_twice_on_a_path_is_rejected()
    {
        Assert.That(Rejects("for i < 4 {\n  let i = 2 {\n    fill a[i +: 1] = 0\n  }\n}", IrDiagnostics.NameBoundTwice).Message, Does.Contain("let i = 2"));
        Rejects("for row < 4 {\n}", IrDiagnostics.NameBoundTwice);
        var siblings = IrParser.ParseKernel(IrText.Kernel(Declarations, "for i < 4 {\n}\nfor i < 2 {\n}"));
        Assert.DoesNotThrow(() => new VerifyPass().Run(siblings, IrText.Context));
    }

    [Test]
    public void Next_halves_and_swaps_need_two_copies()
    {
        Assert.That(Rejects("swap a", IrDiagnostics.SingleBufferHalf).Message, Does.Contain("swaps 'a'"));
        Assert.That(Rejects("fill a.next[0 +: 8] = 0", IrDiagnostics.SingleBufferHalf).Message, Does.Contain("next half of 'a'"));
        var doubled = IrParser.ParseKernel(IrText.Kernel(Declarations, "fill b.next[0 +: 8] = 0\nswap b"));
        Assert.DoesNotThrow(() => new VerifyPass().Run(doubled, IrText.Context));
    }

    [Test]
    public void Ldm_references_must_provably_fit_their_buffer()
    {
        var e = Rejects("for i < 8 {\n  fill a[i * 8 + 4 +: 8] = 0\n}", IrDiagnostics.LdmOutOfRange);
        Assert.That(e.Message, Does.Contain("fill a[i * 8 + 4 +: 8] = 0").And.Contain("buffer 'a' of 64 elements").And.Contain("[12, 68]"));
        Rejects("for i < 8 {\n  fill a[i - 1 +: 1] = 0\n}", IrDiagnostics.LdmOutOfRange);
        var guarded = IrParser.ParseKernel(IrText.Kernel(Declarations, "for i < 9 {\n  if i < 8 {\n    fill a[i * 8 +: 8] = 0\n  }\n}"));
        Assert.DoesNotThrow(() => new VerifyPass().Run(guarded, IrText.Context), "the condition bounds the offset");
    }

    [Test]
    public void Transfers_with_provable_bounds_must_stay_inside_their_tensor()
    {
        var e = Rejects("for i < 4 {\n  get a[0 +: 64] <- x[i * 256 + 200] block 16 gap 16 reply r\n}", IrDiagnostics.TensorOutOfRange);
        Assert.That(e.Message, Does.Contain("'x' has 1,024 elements").And.Contain("[200, 1,080)"));
        Rejects("put a[0 +: 64] -> y[0 - 1] block 0 gap 0 reply r", IrDiagnostics.TensorOutOfRange);
    }

    [Test]
    public void Gemm_shapes_obey_the_primitive_rules() =>
        Assert.That(Rejects("gemm m=64 n=32 k=8 a=a[0 +: 8] b=b[0 +: 4] c=c[0 +: 32]", IrDiagnostics.GemmShape).Message, Does.Contain("M = 64"));

    [Test]
    public void Tiles_must_be_gone_once_the_boundary_pass_ran()
    {
        const string Tile = "tile get a[0 +: 64] x[0] rows 8 cols 8 valid 8, 8 strides 1, 8 reply r";
        Assert.DoesNotThrow(() => new VerifyPass().Run(IrParser.ParseKernel(IrText.Kernel(Declarations, Tile)), IrText.Context));
        Assert.That(Rejects(Tile, IrDiagnostics.TileNotLowered, IrText.Context with { TilesLowered = true }).Message, Does.Contain("tile get a"));
    }
}
