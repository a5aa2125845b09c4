using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

public class HoistDmaPassTests
{
    private const string Declarations = "tensor x[100000] in\ntensor y[100000] out\nbuffer a[16]\nbuffer b[32]\nbuffer c[64]\nreply r\nreply r2";

    private static string Hoist(string body) => IrText.Run(new HoistDmaPass(), IrText.Kernel(Declarations, body));

    [Test]
    public void An_invariant_group_climbs_out_of_every_loop_that_allows_it()
    {
        var actual = Hoist("""
            for n < 2 {
              for m < 4 {
                reset r
                for kc < 2 {
                  get b[kc * 16 +: 16] <- x[kc * 64 + col * 16] block 0 gap 0 reply r
                }
                wait r
                reset r2
                get a[0 +: 16] <- x[n * 1024 + m * 64] block 0 gap 0 reply r2
                wait r2
                gemm m=128 n=32 k=8 a=a[0 +: 16] b=b[0 +: 4] c=c[0 +: 64]
              }
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            reset r
            for kc < 2 {
              get b[kc * 16 +: 16] <- x[kc * 64 + col * 16] block 0 gap 0 reply r
            }
            wait r
            for n < 2 {
              for m < 4 {
                reset r2
                get a[0 +: 16] <- x[n * 1024 + m * 64] block 0 gap 0 reply r2
                wait r2
                gemm m=128 n=32 k=8 a=a[0 +: 16] b=b[0 +: 4] c=c[0 +: 64]
              }
            }
            """));
    }

    [Test]
    public void A_group_that_stays_does_not_hold_back_an_invariant_group_behind_it()
    {
        var actual = Hoist("""
            for m < 4 {
              reset r2
              get a[0 +: 16] <- x[m * 64] block 0 gap 0 reply r2
              wait r2
              reset r
              get b[0 +: 32] <- x[4096 + col * 32] block 0 gap 0 reply r
              wait r
              gemm m=128 n=32 k=8 a=a[0 +: 16] b=b[0 +: 4] c=c[0 +: 64]
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            reset r
            get b[0 +: 32] <- x[4096 + col * 32] block 0 gap 0 reply r
            wait r
            for m < 4 {
              reset r2
              get a[0 +: 16] <- x[m * 64] block 0 gap 0 reply r2
              wait r2
              gemm m=128 n=32 k=8 a=a[0 +: 16] b=b[0 +: 4] c=c[0 +: 64]
            }
            """));
    }

    [Test]
    public void A_group_leaves_a_let_that_it_does_not_use()
    {
        var actual = Hoist("""
            for n < 2 {
              let q = n * 16 {
                reset r
                get b[0 +: 32] <- x[col * 32] block 0 gap 0 reply r
                wait r
                fill a[0 +: 16] = 0
              }
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            reset r
            get b[0 +: 32] <- x[col * 32] block 0 gap 0 reply r
            wait r
            for n < 2 {
              let q = n * 16 {
                fill a[0 +: 16] = 0
              }
            }
            """));
    }

    [Test]
    public void Groups_stay_when_the_loop_varies_overwrites_or_may_skip_them_and_puts_never_move()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel(Declarations, """
            for m < 4 {
              reset r
              get b[0 +: 32] <- x[m * 32] block 0 gap 0 reply r
              wait r
            }
            for m < 4 {
              reset r
              get b[0 +: 32] <- x[0] block 0 gap 0 reply r
              wait r
              fill b[0 +: 4] = 0
            }
            for m < 4 {
              reset r
              get b[0 +: 32] <- y[0] block 0 gap 0 reply r
              wait r
              put b[0 +: 32] -> y[m * 32] block 0 gap 0 reply r2
            }
            for m < cg {
              reset r
              get b[0 +: 32] <- x[0] block 0 gap 0 reply r
              wait r
            }
            for m < 4 {
              reset r
              put c[0 +: 64] -> y[0] block 0 gap 0 reply r
              wait r
            }
            """));
        Assert.That(new HoistDmaPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }
}
