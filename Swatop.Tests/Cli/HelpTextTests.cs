namespace Swatop.Tests.Cli;

/// <summary><c>swatop help</c>: the commands it lists say what they do, one line each when the output is not a terminal.</summary>
public sealed class HelpTextTests
{
    private static (int ExitCode, string Output) Help()
    {
        var output = Console.Out;
        using var text = new StringWriter();
        Console.SetOut(text);
        try
        {
            return (Swatop.Cli.Program.Main(["help"]), text.ToString());
        }
        finally
        {
            Console.SetOut(output);
        }
    }

    [Test]
    public void The_demo_line_names_the_three_parts_of_the_demo_in_their_order()
    {
        var (exitCode, output) = Help();
        Assert.That(exitCode, Is.Zero);
        var demo = output.Split('\n').Single(line => line.TrimStart().StartsWith("demo ", StringComparison.Ordinal));
        var resnet = demo.IndexOf("ResNet-50", StringComparison.Ordinal);
        var gemm = demo.IndexOf("GEMM", StringComparison.Ordinal);
        var swDnn = demo.IndexOf("swDNN", StringComparison.Ordinal);
        Assert.That(resnet, Is.GreaterThanOrEqualTo(0), demo);
        Assert.That(gemm, Is.GreaterThan(resnet), demo);
        Assert.That(swDnn, Is.GreaterThan(gemm), demo);
    }
}
