namespace Swatop.Tests.Describe;

/// <summary>
/// A direct NCHW / OIHW convolution in seven loops, summing over ci, kh, kw in that order with
/// fused multiply-adds and skipping taps in the padding: the oracle of the convolution tests.
/// </summary>
public sealed record NaiveConvolution(
    int Batch, int InChannels, int OutChannels, int Height, int Width, int KernelHeight, int KernelWidth,
    int StrideHeight = 1, int StrideWidth = 1, int Top = 0, int Bottom = 0, int Left = 0, int Right = 0,
    int DilationHeight = 1, int DilationWidth = 1, int Groups = 1)
{
    public int OutHeight => ((Height + Top + Bottom - (DilationHeight * (KernelHeight - 1)) - 1) / StrideHeight) + 1;

    public int OutWidth => ((Width + Left + Right - (DilationWidth * (KernelWidth - 1)) - 1) / StrideWidth) + 1;

    public int InputLength => Batch * InChannels * Height * Width;

    public int WeightLength => OutChannels * (InChannels / Groups) * KernelHeight * KernelWidth;

    public double[] Run(double[] input, double[] weights)
    {
        var output = new double[Batch * OutChannels * OutHeight * OutWidth];
        for (var n = 0; n < Batch; n++)
        {
            for (var o = 0; o < OutChannels; o++)
            {
                for (var oh = 0; oh < OutHeight; oh++)
                {
                    for (var ow = 0; ow < OutWidth; ow++)
                    {
                        output[Tensors.At([Batch, OutChannels, OutHeight, OutWidth], n, o, oh, ow)] = Point(input, weights, n, o, oh, ow);
                    }
                }
            }
        }

        return output;
    }

    /// <summary>One output element.</summary>
    public double Point(double[] input, double[] weights, int n, int o, int oh, int ow)
    {
        var cig = InChannels / Groups;
        var g = o / (OutChannels / Groups);
        var sum = 0.0;
        for (var ci = 0; ci < cig; ci++)
        {
            for (var kh = 0; kh < KernelHeight; kh++)
            {
                var ih = (oh * StrideHeight) + (kh * DilationHeight) - Top;
                for (var kw = 0; kw < KernelWidth; kw++)
                {
                    var iw = (ow * StrideWidth) + (kw * DilationWidth) - Left;
                    if (ih < 0 || ih >= Height || iw < 0 || iw >= Width)
                    {
                        continue;
                    }

                    var x = input[((((n * InChannels) + (g * cig) + ci) * Height) + ih) * Width + iw];
                    var w = weights[((((o * cig) + ci) * KernelHeight) + kh) * KernelWidth + kw];
                    sum = Math.FusedMultiplyAdd(x, w, sum);
                }
            }
        }

        return sum;
    }
}
