using Swatop.Cli.CommandLine;

namespace Swatop.Cli;

/// <summary>The <c>swatop</c> command.</summary>
public static class Program
{
    /// <summary>Entry point; returns 0 on success, 1 when a check failed, 2 on a usage error.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return SwatopCommandLine.Invoke(args, Console.Out, Console.Error);
    }
}
