using System.Globalization;

namespace Swatop.Core.Layouts;

/// <summary>
/// How a four-dimensional NCHW tensor <c>x[N][C][H][W]</c> becomes a column matrix, the input of a 1 x 1
/// convolution: <c>col[n][(c * KernelHeight + kh) * KernelWidth + kw][oh][ow] = x[n][c][oh * StrideHeight + kh * DilationHeight - PadTop][ow * StrideWidth + kw * DilationWidth - PadLeft]</c>,
/// zero where the row or column falls outside the tensor. A convolution's input becomes its im2col matrix
/// this way; its OIHW weights become the 1 x 1 convolution's weights <c>[Co][Cig * Kh * Kw][1][1]</c> through the
/// window that covers a whole filter (<see cref="WholeFilter"/>). Compared by value.
/// </summary>
/// <param name="KernelHeight">Taps of a column of the window.</param>
/// <param name="KernelWidth">Taps of a row of the window.</param>
/// <param name="StrideHeight">Rows between consecutive output rows.</param>
/// <param name="StrideWidth">Columns between consecutive output columns.</param>
/// <param name="DilationHeight">Rows between consecutive taps.</param>
/// <param name="DilationWidth">Columns between consecutive taps.</param>
/// <param name="PadTop">Rows of zeros above the tensor.</param>
/// <param name="PadLeft">Columns of zeros left of the tensor.</param>
/// <param name="OutHeight">Output rows (the matrix's third dimension).</param>
/// <param name="OutWidth">Output columns (its fourth).</param>
public sealed record ColumnWindow(
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth, int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    /// <summary>Taps of the window: the factor by which the channels grow.</summary>
    public int Taps => KernelHeight * KernelWidth;

    /// <summary>The window of a convolution's input.</summary>
    public static ColumnWindow Input(Conv2dAttributes conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        return new ColumnWindow(conv.Kernel.Height, conv.Kernel.Width, conv.Stride.Height, conv.Stride.Width, conv.Dilation.Height, conv.Dilation.Width,
            conv.Padding.Top, conv.Padding.Left, conv.OutHeight, conv.OutWidth);
    }

    /// <summary>The window that reads a whole filter of a convolution's OIHW weights as one column: a reshape to <c>[Co][Cig * Kh * Kw][1][1]</c>.</summary>
    public static ColumnWindow WholeFilter(Conv2dAttributes conv)
    {
        ArgumentNullException.ThrowIfNull(conv);
        return new ColumnWindow(conv.Kernel.Height, conv.Kernel.Width, 1, 1, 1, 1, 0, 0, 1, 1);
    }

    /// <summary>The column matrix's shape for a tensor of <paramref name="shape"/>: <c>[N][C * Kh * Kw][OutHeight][OutWidth]</c>.</summary>
    public int[] ColumnShape(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return [shape[0], shape[1] * Taps, OutHeight, OutWidth];
    }

    /// <summary>The tensor's element that column element <c>(n, k, oh, ow)</c> holds, as a flat row-major offset into <paramref name="shape"/>; -1 where it reads a zero of the padding.</summary>
    public long SourceOf(IReadOnlyList<int> shape, long n, long k, long oh, long ow)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var c = k / Taps;
        var kh = k % Taps / KernelWidth;
        var kw = k % KernelWidth;
        var h = (oh * StrideHeight) + (kh * DilationHeight) - PadTop;
        var w = (ow * StrideWidth) + (kw * DilationWidth) - PadLeft;
        return h < 0 || h >= shape[2] || w < 0 || w >= shape[3] ? -1 : (((((n * shape[1]) + c) * shape[2]) + h) * shape[3]) + w;
    }

    /// <summary>E.g. <c>im2col 7x7 stride 2x2 dilation 1x1 pad 3,3 -&gt; 112x112</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"im2col {KernelHeight}x{KernelWidth} stride {StrideHeight}x{StrideWidth} dilation {DilationHeight}x{DilationWidth} pad {PadTop},{PadLeft} -> {OutHeight}x{OutWidth}");
}
