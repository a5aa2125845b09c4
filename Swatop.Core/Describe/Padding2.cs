namespace Swatop.Core;

/// <summary>The zero padding around a convolution's input, per side. An integer converts to the same padding on all four sides.</summary>
/// <param name="Top">Rows of zeros above the input.</param>
/// <param name="Bottom">Rows of zeros below the input.</param>
/// <param name="Left">Columns of zeros left of the input.</param>
/// <param name="Right">Columns of zeros right of the input.</param>
public readonly record struct Padding2(int Top, int Bottom, int Left, int Right)
{
    /// <summary>The same padding on all four sides.</summary>
    /// <param name="all">The padding of every side.</param>
    public static implicit operator Padding2(int all) => new(all, all, all, all);

    /// <summary>The same padding on all four sides (the named alternative of the implicit conversion).</summary>
    /// <param name="all">The padding of every side.</param>
    /// <returns>The padding.</returns>
    public static Padding2 FromInt32(int all) => all;

    /// <summary><paramref name="height"/> rows above and below, <paramref name="width"/> columns left and right.</summary>
    /// <param name="height">The padding of the top and the bottom.</param>
    /// <param name="width">The padding of the left and the right.</param>
    /// <returns>The padding.</returns>
    public static Padding2 Symmetric(int height, int width) => new(height, height, width, width);

    /// <summary>Prints the padding as <c>top,bottom,left,right</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{DescribeGuard.Format(Top)},{DescribeGuard.Format(Bottom)},{DescribeGuard.Format(Left)},{DescribeGuard.Format(Right)}";
}
