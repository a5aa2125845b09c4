using Swatop.Cli.Commands;

namespace Swatop.Tests.Emulator;

/// <summary>The <c>swatop demo</c> command end to end.</summary>
public sealed class DemoTests
{
    [Test]
    public void TheDemoPassesItsBitForBitCheck()
    {
        using var output = new StringWriter();
        var exitCode = DemoCommand.Run(output);
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, text);
            Assert.That(text, Does.Contain("result     PASS"));
            Assert.That(text, Does.Contain("bit-identical to the reference GEMM"));
            Assert.That(text, Does.Contain("on 4 emulated SW26010 core groups"));
            Assert.That(text, Does.Contain("ResNet-50 stage 3").And.Contain("check      ok:"));
            Assert.That(text.Split("result     PASS").Length - 1, Is.EqualTo(2), "the layer and the GEMM both pass");
        }
    }
}
