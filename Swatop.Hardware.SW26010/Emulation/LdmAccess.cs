using System.Globalization;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// One access of a CPE to a range of its LDM, as a race report names it: what made it, which bytes,
/// whether it writes them, and the loop-IR statement it comes from when a compiled kernel made it.
/// </summary>
/// <param name="Operation">What accessed the LDM: <c>DMA get</c>, <c>Fill</c>, <c>MeshGemm operand A</c>, ...; a transfer also names its reply word.</param>
/// <param name="Buffer">The LDM buffer the range lies in.</param>
/// <param name="FirstByte">The first LDM byte address of the range.</param>
/// <param name="EndByte">The LDM byte address just past the range.</param>
/// <param name="Writes">Whether the access writes the range (a get, a primitive's target) or only reads it.</param>
/// <param name="Statement">The statement that made the access, as IR text; null for a hand-written program.</param>
/// <param name="Detail">What else identifies the access (a transfer's reply word and its place among the word's transfers); null for nothing.</param>
public sealed record LdmAccess(string Operation, string Buffer, int FirstByte, int EndByte, bool Writes, string? Statement, string? Detail = null)
{
    /// <summary>
    /// Prints as <c>Fill `fill c[0:64] = 0` writes LDM bytes [0, 512) of buffer 'c'</c>: the statement when
    /// known, the detail in parentheses after the range.
    /// </summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Operation}{(Statement is null ? "" : $" `{Statement}`")} {(Writes ? "writing" : "reading")} LDM bytes [{FirstByte}, {EndByte}) of buffer '{Buffer}'{(Detail is null ? "" : $" ({Detail})")}");
}
