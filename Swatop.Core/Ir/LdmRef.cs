namespace Swatop.Core.Ir;

/// <summary>
/// A run of elements of an LDM buffer: <paramref name="Count"/> elements from
/// <paramref name="Offset"/>, in the current half of a double-buffered buffer or in the next one.
/// </summary>
/// <param name="Buffer">The buffer's name.</param>
/// <param name="Offset">The first element, counted from the start of the half.</param>
/// <param name="Count">The number of elements.</param>
/// <param name="Half">Which half of a double-buffered buffer; single buffers have only <see cref="BufferHalf.Current"/>.</param>
public sealed record LdmRef(string Buffer, Expr Offset, Expr Count, BufferHalf Half = BufferHalf.Current)
{
    /// <summary>The same run in the other half.</summary>
    public LdmRef InNextHalf => this with { Half = BufferHalf.Next };

    /// <summary>The run as IR text, e.g. <c>a.next[16 +: 256]</c>.</summary>
    public override string ToString() => IrPrinter.Print(this);
}

/// <summary>Which half of a double-buffered buffer an <see cref="LdmRef"/> names.</summary>
public enum BufferHalf
{
    /// <summary>The half the computation reads.</summary>
    Current,

    /// <summary>The half the prefetch fills.</summary>
    Next,
}
