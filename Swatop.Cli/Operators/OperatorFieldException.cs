namespace Swatop.Cli.Operators;

/// <summary>An operator field (a CSV column or a command-line option) whose value cannot describe an operator.</summary>
internal sealed class OperatorFieldException : FormatException
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public OperatorFieldException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
    }

    /// <summary>The field at fault.</summary>
    public string Field { get; }
}
