namespace Swatop.Primitives;

/// <summary>
/// The shape rules of the transpose primitive: a source block of <c>rows x columns</c> elements
/// (column-major) becomes a target block of <c>columns x rows</c>, so both hold exactly
/// <c>rows * columns</c> elements, and neither extent is negative. That the two do not overlap is a
/// rule of their places, checked where the places are known (<see cref="BlockTranspose"/>, the IR
/// verifier, the emulator).
/// </summary>
public static class TransposeRules
{
    /// <summary>
    /// The first shape rule a call breaks, as a sentence; <see langword="null"/> when it is legal.
    /// </summary>
    /// <param name="rows">The source block's rows.</param>
    /// <param name="columns">The source block's columns.</param>
    /// <param name="targetCount">The target's elements.</param>
    /// <param name="sourceCount">The source's elements.</param>
    /// <returns>The violation, or <see langword="null"/>.</returns>
    public static string? Violation(long rows, long columns, long targetCount, long sourceCount)
    {
        if (rows < 0 || columns < 0)
        {
            return $"the block's rows {Guard.Format(rows)} and columns {Guard.Format(columns)} must not be negative.";
        }

        // Both extents are small enough in practice; a product past long's range is no legal block either.
        var elements = columns == 0 || rows <= long.MaxValue / columns ? rows * columns : -1;
        if (sourceCount != elements)
        {
            return $"the source holds {Guard.Format(sourceCount)} elements but a {Guard.Format(rows)} x {Guard.Format(columns)} block holds {(elements < 0 ? "more than fit in 64 bits" : Guard.Format(elements))}.";
        }

        if (targetCount != elements)
        {
            return $"the target holds {Guard.Format(targetCount)} elements but the {Guard.Format(columns)} x {Guard.Format(rows)} transpose holds {Guard.Format(elements)}.";
        }

        return null;
    }
}
