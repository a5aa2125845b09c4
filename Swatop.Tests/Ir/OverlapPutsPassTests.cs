using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

public class OverlapPutsPassTests
{
    private const string Declarations = "tensor x[4096] in\ntensor y[4096] out\nbuffer a[64]\nbuffer c[64] double\nreply r\nreply rc";

    [Test]
    public void A_put_group_waits_for_the_previous_tiles_puts_instead_of_its_own()
    {
        var text = IrText.Kernel(Declarations, """
            for t < 4 {
              reset r
              get a[0 +: 64] <- x[t * 64] block 0 gap 0 reply r
              wait r
              fill c[0 +: 64] = 0
              reset rc
              put c[0 +: 64] -> y[t * 64] block 0 gap 0 reply rc
              wait rc
            }
            """);
        var actual = IrText.Run(new OverlapPutsPass(), text);
        IrText.AssertSame(actual, IrText.Kernel(Declarations.Replace("buffer c[64] double", "buffer c[64] x2", StringComparison.Ordinal), """
            reset rc
            for t < 4 {
              reset r
              get a[0 +: 64] <- x[t * 64] block 0 gap 0 reply r
              wait r
              fill c[0 +: 64] = 0
              wait rc
              reset rc
              put c[0 +: 64] -> y[t * 64] block 0 gap 0 reply rc
              swap c
            }
            wait rc
            """));
    }

    [Test]
    public void A_window_of_tile_puts_overlaps_as_one_group_and_a_second_run_changes_nothing()
    {
        var text = IrText.Kernel(Declarations, """
            for t < 4 {
              fill c[0 +: 64] = 0
              reset rc
              for s < 2 {
                tile put c[s * 32 +: 32] y[t * 64 + s * 32] rows 8 cols 4 valid 8, 4 strides 1, 8 reply rc
              }
              wait rc
            }
            """);
        var once = new OverlapPutsPass().Run(IrParser.ParseKernel(text), IrText.Context);
        IrText.AssertSame(IrPrinter.Print(once), IrText.Kernel(Declarations.Replace("buffer c[64] double", "buffer c[64] x2", StringComparison.Ordinal), """
            reset rc
            for t < 4 {
              fill c[0 +: 64] = 0
              wait rc
              reset rc
              for s < 2 {
                tile put c[s * 32 +: 32] y[t * 64 + s * 32] rows 8 cols 4 valid 8, 4 strides 1, 8 reply rc
              }
              swap c
            }
            wait rc
            """));
        Assert.That(new OverlapPutsPass().Run(once, IrText.Context), Is.SameAs(once));
    }

    [Test]
    public void A_kernel_without_a_drained_double_buffer_is_returned_as_it_is()
    {
        var kernel = IrParser.ParseKernel(IrText.Convolution);
        Assert.That(new OverlapPutsPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }

    [Test]
    public void A_put_outside_a_put_group_is_rejected()
    {
        var text = IrText.Kernel(Declarations, """
            for t < 4 {
              fill c[0 +: 64] = 0
              put c[0 +: 64] -> y[t * 64] block 0 gap 0 reply rc
            }
            """);
        Assert.That(Rejected(text).Message, Does.Contain("puts from 'c' outside a put group").And.Contain("kernel 'k'"));
    }

    [Test]
    public void A_group_that_also_drains_a_single_buffer_is_rejected()
    {
        var text = IrText.Kernel(Declarations, """
            for t < 4 {
              reset rc
              put c[0 +: 64] -> y[t * 64] block 0 gap 0 reply rc
              put a[0 +: 64] -> y[t * 64 + 64] block 0 gap 0 reply rc
              wait rc
            }
            """);
        Assert.That(Rejected(text).Message, Does.Contain("drains the double-buffered 'c' and the single buffer 'a'"));
    }

    [Test]
    public void A_buffer_drained_by_two_groups_is_rejected()
    {
        var text = IrText.Kernel(Declarations, """
            for t < 4 {
              reset rc
              put c[0 +: 32] -> y[t * 64] block 0 gap 0 reply rc
              wait rc
              reset rc
              put c[32 +: 32] -> y[t * 64 + 32] block 0 gap 0 reply rc
              wait rc
            }
            """);
        Assert.That(Rejected(text).Message, Does.Contain("'c' is drained by more than one put group"));
    }

    private static IrException Rejected(string text)
    {
        var e = Assert.Throws<IrException>(() => new OverlapPutsPass().Run(IrParser.ParseKernel(text), IrText.Context));
        Assert.That(e!.Id, Is.EqualTo(IrDiagnostics.DoubleBufferShape));
        return e;
    }
}
