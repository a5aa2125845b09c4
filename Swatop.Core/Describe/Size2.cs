namespace Swatop.Core;

/// <summary>A height and a width: a kernel size, a stride or a dilation. An integer converts to a square size.</summary>
/// <param name="Height">The vertical extent.</param>
/// <param name="Width">The horizontal extent.</param>
public readonly record struct Size2(int Height, int Width)
{
    /// <summary>The square size <c>both x both</c>.</summary>
    /// <param name="both">The height and the width.</param>
    public static implicit operator Size2(int both) => new(both, both);

    /// <summary>The square size <c>both x both</c> (the named alternative of the implicit conversion).</summary>
    /// <param name="both">The height and the width.</param>
    /// <returns>The size.</returns>
    public static Size2 FromInt32(int both) => both;

    /// <summary>Prints the size as <c>HxW</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{DescribeGuard.Format(Height)}x{DescribeGuard.Format(Width)}";
}
