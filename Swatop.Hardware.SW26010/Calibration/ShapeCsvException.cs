namespace Swatop.Hardware.Sw26010.Calibration;

/// <summary>A shape file that cannot be read: the message names the file, the line and, where one is at fault, the column.</summary>
public sealed class ShapeCsvException : FormatException
{
    /// <summary>Creates the error; the message is prefixed with where it happened.</summary>
    public ShapeCsvException(string source, int lineNumber, string? column, string message)
        : base(Describe(source, lineNumber, column, message))
    {
        InputName = source;
        LineNumber = lineNumber;
        Column = column;
    }

    /// <summary>Creates the error with a plain message.</summary>
    public ShapeCsvException()
        : this("<input>", 0, null, "the shape file cannot be read")
    {
    }

    /// <summary>Creates the error with a plain message.</summary>
    public ShapeCsvException(string message)
        : this("<input>", 0, null, message)
    {
    }

    /// <summary>Creates the error with a plain message and its cause.</summary>
    public ShapeCsvException(string message, Exception innerException)
        : base(message, innerException)
    {
        InputName = "<input>";
    }

    /// <summary>The file (or the name the reader was given for its input).</summary>
    public string InputName { get; }

    /// <summary>The 1-based line at fault; 0 when no line is.</summary>
    public int LineNumber { get; }

    /// <summary>The column at fault, or null when the whole line is.</summary>
    public string? Column { get; }

    private static string Describe(string source, int lineNumber, string? column, string message) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{source}, line {lineNumber}{(column is null ? string.Empty : $", column '{column}'")}: {message}");
}
