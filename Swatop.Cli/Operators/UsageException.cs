namespace Swatop.Cli.Operators;

/// <summary>Command-line arguments that do not fit the command: an unknown option, a missing value.</summary>
internal sealed class UsageException(string message) : Exception(message);
