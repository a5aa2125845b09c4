namespace Swatop.Core.Ir;

/// <summary>The kinds of <see cref="IrToken"/>.</summary>
internal enum IrTokenKind
{
    Identifier,
    Number,
    Symbol,
    End,
}

/// <summary>A token of IR text with the 1-based line and column where it starts.</summary>
internal readonly record struct IrToken(IrTokenKind Kind, string Text, int Line, int Column)
{
    /// <summary>The token as an error message quotes it.</summary>
    public string Describe() => Kind == IrTokenKind.End ? "the end of the text" : $"'{Text}'";
}

/// <summary>Splits IR text into tokens; whitespace and line breaks only separate them.</summary>
internal static class IrLexer
{
    private static readonly string[] Symbols = ["+:", "<-", "->", "<=", "==", "!=", "&&", "||", "{", "}", "[", "]", "(", ")", ",", "=", "<", "+", "-", "*", "/", "%", "@", "."];

    public static List<IrToken> Tokenize(string text)
    {
        var tokens = new List<IrToken>();
        var line = 1;
        var lineStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = ++i;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            var column = i - lineStart + 1;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new IrToken(IrTokenKind.Identifier, text[start..i], line, column));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                i = ScanNumber(text, i);
                tokens.Add(new IrToken(IrTokenKind.Number, text[start..i], line, column));
                continue;
            }

            var symbol = Array.Find(Symbols, s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                ?? throw new IrException(IrDiagnostics.SyntaxError, $"IR text line {line}, column {column}: unexpected character '{c}'.");
            tokens.Add(new IrToken(IrTokenKind.Symbol, symbol, line, column));
            i += symbol.Length;
        }

        tokens.Add(new IrToken(IrTokenKind.End, "", line, i - lineStart + 1));
        return tokens;
    }

    private static int ScanNumber(string text, int i)
    {
        i = SkipDigits(text, i);
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i = SkipDigits(text, i + 1);
        }

        if (i < text.Length && text[i] is 'E' or 'e')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                i = SkipDigits(text, j);
            }
        }

        return i;
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }
}
