namespace Swatop.Cli;

/// <summary>The <c>swatop</c> command.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => 0;
}
