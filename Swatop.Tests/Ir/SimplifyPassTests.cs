using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

public class SimplifyPassTests
{
    private const string Declarations = "tensor x[100000] in\nbuffer a[4096]\nreply r";

    private static string Simplify(string body) => IrText.Run(new SimplifyPass(), IrText.Kernel(Declarations, body));

    [Test]
    public void Sums_are_folded_into_canonical_affine_form()
    {
        var actual = Simplify("""
            for i < 4 {
              for j < 8 {
                get a[(i * 2 + j) * 3 - j * 3 +: 8 * 1 + 0] <- x[(i + 1) * (j + 0) + 7 - 7 + j / 1] block 0 gap 0 reply r
                fill a[(i * 8 + j) / 8 * 16 +: (j * 4 + 3) % 4 + 5] = 0
              }
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            for i < 4 {
              for j < 8 {
                get a[i * 6 +: 8] <- x[(i + 1) * j + j] block 0 gap 0 reply r
                fill a[i * 16 +: 8] = 0
              }
            }
            """));
    }

    [Test]
    public void Interval_analysis_decides_min_max_and_comparisons()
    {
        var actual = Simplify("""
            for i < 4 {
              fill a[min(i, 10) +: max(2, i - 8)] = 0
              if i < 4 && row <= 7 {
                fill a[min(i, col) +: 1] = 1
              }
              if cg == 4 {
                fill a[0 +: 1] = 2
              } else {
                fill a[0 +: 1] = 3
              }
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            for i < 4 {
              fill a[i +: 2] = 0
              fill a[min(i, col) +: 1] = 1
              fill a[0 +: 1] = 3
            }
            """));
    }

    [Test]
    public void Trivial_loops_lets_and_blocks_disappear()
    {
        var actual = Simplify("""
            for e < 3 - 3 {
              fill a[e +: 1] = 0
            }
            for one < 1 {
              let base = one * 64 + 16 {
                let alias = col {
                  fill a[base + alias +: 8] = 0
                }
              }
            }
            for i < 2 {
              let w = min(4, 7 - i * 4) {
                fill a[0 +: w] = 0
              }
              if i < 0 {
                fill a[0 +: 1] = 0
              }
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            fill a[col + 16 +: 8] = 0
            for i < 2 {
              let w = min(4, 7 - i * 4) {
                fill a[0 +: w] = 0
              }
            }
            """));
    }

    [Test]
    public void Simplify_is_idempotent()
    {
        var pass = new SimplifyPass();
        foreach (var text in new[] { IrText.Convolution, IrText.Kernel(Declarations, "for i < 4 {\n  fill a[(i + 2) / 2 * 2 - i % 2 +: 4] = 0\n}") })
        {
            var once = pass.Run(IrParser.ParseKernel(text), IrText.Context);
            var twice = pass.Run(once, IrText.Context);
            Assert.That(IrPrinter.Print(twice), Is.EqualTo(IrPrinter.Print(once)));
            Assert.That(twice, Is.SameAs(once), "a second run finds nothing to change");
        }
    }

    [Test]
    public void A_kernel_already_simple_comes_back_as_the_same_instance()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel(Declarations, "for i < 4 {\n  fill a[i * 8 +: 8] = 0\n}"));
        Assert.That(new SimplifyPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }
}
