using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Ir;

/// <summary>IR-in / IR-out helpers: kernels written as text, passes run on them, results compared as text.</summary>
internal static class IrText
{
    /// <summary>The swDNN convolution's loop nest, with the input and weight buffers marked for double buffering.</summary>
    public const string Convolution = """
        kernel conv float32
        tensor input[41472] in
        tensor weights[2400] in
        tensor output[25088] out
        buffer a[128] double
        buffer w[96] double
        buffer c[256]
        reply ri
        reply rw
        reply rc
        body {
          for band < 2 {
            let width = min(4, 7 - band * 4) {
              for ro < 3 {
                fill c[0 +: width * 64] = 0
                for kr < 3 {
                  reset rw
                  for kc < 3 {
                    get w[kc * 32 +: 32] <- weights[(kr * 3 + kc) * 256 + col * 32] block 8 gap 24 reply rw
                  }
                  wait rw
                  for i < width + 2 {
                    reset ri
                    get a[0 +: 128] <- input[((ro + kr) * 9 + band * 4 + i) * 512 + row * 16] block 16 gap 112 reply ri
                    wait ri
                    for kc < 3 {
                      if 0 <= i - kc && i - kc < width {
                        gemm m=128 n=32 k=64 a=a[0 +: 128] b=w[kc * 32 +: 32] c=c[(i - kc) * 64 +: 64]
                      }
                    }
                  }
                }
                for co < width {
                  reset rc
                  put c[co * 64 +: 64] -> output[(ro * 7 + band * 4 + co) * 512] block 16 gap 112 reply rc
                  wait rc
                }
              }
            }
          }
        }
        """;

    /// <summary>The pass context the SW26010 target compiles with: its LDM planning budget, its 4 core groups.</summary>
    public static PassContext Context => Sw26010Target.Default.PassContext;

    /// <summary>Runs <paramref name="pass"/> on the kernel in <paramref name="text"/> and prints the result.</summary>
    public static string Run(IKernelPass pass, string text, PassContext? context = null) =>
        IrPrinter.Print(pass.Run(IrParser.ParseKernel(text), context ?? Context));

    /// <summary>A kernel text around <paramref name="body"/> with the given declarations.</summary>
    public static string Kernel(string declarations, string body)
    {
        var indented = string.Join("\n", body.Split('\n').Select(line => line.Length == 0 ? line : "  " + line));
        return body.Length == 0
            ? $"kernel k float32\n{declarations}\nbody {{\n}}\n"
            : $"kernel k float32\n{declarations}\nbody {{\n{indented}\n}}\n";
    }

    /// <summary>
    /// Verifies the kernel of <paramref name="declarations"/> around <paramref name="body"/>, asserts that the
    /// verifier refuses it with diagnostic <paramref name="id"/>, and returns the error for its message.
    /// </summary>
    public static IrException Rejects(string declarations, string body, string id, PassContext? context = null)
    {
        var kernel = IrParser.ParseKernel(Kernel(declarations, body));
        var e = Assert.Throws<IrException>(() => new VerifyPass().Run(kernel, context ?? Context));
        Assert.That(e.Id, Is.EqualTo(id));
        return e;
    }

    /// <summary>Asserts that two IR texts are equal, ignoring a trailing line break.</summary>
    public static void AssertSame(string actual, string expected) =>
        Assert.That(actual.TrimEnd('\n'), Is.EqualTo(expected.TrimEnd('\n')));
}
