using System.Text;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>C text built a line at a time, blocks indented by four spaces, lines ending in <c>\n</c>.</summary>
internal sealed class CSourceBuilder
{
    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>Appends one line at the current indentation; an empty line stays empty.</summary>
    public CSourceBuilder Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', 4 * _depth).Append(text);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Appends a preprocessor line (<c>#ifdef</c>, <c>#endif</c>, ...) in the first column, whatever the indentation.</summary>
    public CSourceBuilder Directive(string text)
    {
        _text.Append(text).Append('\n');
        return this;
    }

    /// <summary>Appends <paramref name="header"/> with an opening brace and indents what follows.</summary>
    public CSourceBuilder Open(string header)
    {
        Line(header.Length == 0 ? "{" : $"{header} {{");
        _depth++;
        return this;
    }

    /// <summary>Closes the innermost block, with <paramref name="trailer"/> after the brace (<c>} else {</c> is <c>Close(" else {")</c> then indent).</summary>
    public CSourceBuilder Close(string trailer = "")
    {
        _depth--;
        Line("}" + trailer);
        return this;
    }

    /// <summary>Closes a block and opens the next one on the same line, e.g. <c>} else {</c>.</summary>
    public CSourceBuilder Continue(string header)
    {
        _depth--;
        Line($"}} {header} {{");
        _depth++;
        return this;
    }

    /// <summary>Appends text verbatim, each of its lines indented.</summary>
    public CSourceBuilder Lines(string text)
    {
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>The text so far.</summary>
    public override string ToString() => _text.ToString();
}
