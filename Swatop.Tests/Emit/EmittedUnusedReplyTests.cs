using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emit;

namespace Swatop.Tests.Emit;

/// <summary>
/// A kernel may declare a reply word that its body never names (a step whose every transfer the lowering
/// dropped for a shape, say): the emitted C still builds under <c>-Werror</c>, with the word marked used.
/// </summary>
public sealed class EmittedUnusedReplyTests
{
    private const string Kernel = """
        kernel unused_reply float64
        tensor x[8] in
        tensor y[8] out
        buffer b[8]
        reply get_reply
        reply put_reply
        reply idle_reply
        body {
          reset get_reply
          get b[0 +: 8] <- x[0] block 8 gap 0 reply get_reply
          wait get_reply
          reset put_reply
          put b[0 +: 8] -> y[0] block 8 gap 0 reply put_reply
          wait put_reply
        }
        """;

    [Test]
    public void A_reply_word_the_body_never_names_builds_under_Werror_and_the_kernel_still_copies()
    {
        var kernel = IrParser.ParseKernel(Kernel);
        Assert.That(CpeFilePrinter.Print(kernel, tiles: null, "/* */"), Does.Contain("(void)idle_reply;").And.Not.Contain("(void)get_reply;"));
        using var build = IrKernelHostBuild.Build(kernel);
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        IrKernelHostBuild.WriteInput(build, kernel, "x", x);
        build.Run();
        Assert.That(IrKernelHostBuild.ReadOutput(build, kernel, "y"), Is.EqualTo(x));
    }
}
