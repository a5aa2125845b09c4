using System.Globalization;

namespace Swatop.Core.Layouts;

/// <summary>An integer literal.</summary>
/// <param name="Value">The value.</param>
public sealed record IndexConstant(long Value) : IndexExpression
{
    /// <summary>The literal as C writes it.</summary>
    internal string Text => Value.ToString(CultureInfo.InvariantCulture);
}
