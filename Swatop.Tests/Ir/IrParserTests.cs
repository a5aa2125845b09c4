using Swatop.Core.Ir;

namespace Swatop.Tests.Ir;

public class IrParserTests
{
    private const string EveryForm = """
        kernel every float64
        tensor x[4096] in
        tensor y[4096] out
        buffer a[256] x2 @0
        buffer b[128] double
        buffer c[64] @4096
        reply r
        body {
          for i < 4 {
            let n = max(i * 2, 3) {
              if i % 2 == 0 || i / 2 != 1 && n <= 7 {
                fill c[0 +: 64] = -0.5
              } else {
                fill c[0 +: 64] = 1E-05
              }
              reset r
              get a.next[i * 64 +: 64] <- x[i - (n - 1) + -3] block 0 gap 0 reply r
              tile get b[0 +: 128] x[16] rows 16 cols 8 valid min(16, 20 - i), 8 strides 1, 64 reply r
              tile put c[0 +: 64] y[0] rows 8 cols 8 valid 8, 8 strides 2, 128 reply r
              put c[0 +: 64] -> y[(i + 1) * (n - 2)] block 8 gap 8 reply r
              wait r
              gemm m=128 n=32 k=8 a=a[0 +: 16] b=b[0 +: 4] c=c[0 +: 8]
              eltwise c[0 +: 64] clamp b[0 +: 8] per column, -6
              swap a
            }
          }
          for e < 0 {
          }
        }
        """;

    [Test]
    public void Printer_output_round_trips_through_the_parser()
    {
        foreach (var text in new[] { IrText.Convolution, EveryForm })
        {
            Assert.That(IrPrinter.Print(IrParser.ParseKernel(text)), Is.EqualTo(text + "\n"));
        }
    }

    [Test]
    public void Statements_may_share_a_line()
    {
        var statement = IrParser.ParseStatement("reset r  get a[0 +: 8] <- x[0] block 0 gap 0 reply r  wait r");
        Assert.That(IrPrinter.Print(statement), Is.EqualTo("reset r\nget a[0 +: 8] <- x[0] block 0 gap 0 reply r\nwait r\n"));
    }

    [Test]
    public void Expressions_keep_their_structure_and_precedence()
    {
        var expression = IrParser.ParseExpression("a - (b - c) * 2 < d && e || f");
        Assert.That(expression, Is.EqualTo(
            new Binary(BinaryOp.Or,
                new Binary(BinaryOp.And,
                    new Binary(BinaryOp.Lt, new Binary(BinaryOp.Sub, new Var("a"), new Binary(BinaryOp.Mul, new Binary(BinaryOp.Sub, new Var("b"), new Var("c")), new IntLiteral(2))), new Var("d")),
                    new Var("e")),
                new Var("f"))));
        Assert.That(IrPrinter.Print(IrParser.ParseExpression("1 + 2 * 3")), Is.EqualTo("1 + 2 * 3"), "a parsed expression is not folded");
    }

    [Test]
    public void A_syntax_error_names_the_line_the_column_and_what_was_expected()
    {
        var e = Assert.Throws<IrException>(() => IrParser.ParseKernel("kernel k float32\nbody {\n  for i 4 {\n  }\n}\n"));
        Assert.That(e.Id, Is.EqualTo(IrDiagnostics.SyntaxError));
        Assert.That(e.Message, Does.Contain("line 3, column 9").And.Contain("expected '<'").And.Contain("found '4'"));
    }

    [Test]
    public void An_unknown_statement_and_trailing_text_are_syntax_errors()
    {
        var unknown = Assert.Throws<IrException>(() => IrParser.ParseStatement("copy a"));
        Assert.That(unknown.Message, Does.Contain("line 1, column 1").And.Contain("expected a statement"));
        var trailing = Assert.Throws<IrException>(() => IrParser.ParseExpression("i + 1 )"));
        Assert.That(trailing.Message, Does.Contain("expected the end of the text"));
        var character = Assert.Throws<IrException>(() => IrParser.ParseExpression("i ^ 2"));
        Assert.That(character.Id, Is.EqualTo(IrDiagnostics.SyntaxError));
    }
}
