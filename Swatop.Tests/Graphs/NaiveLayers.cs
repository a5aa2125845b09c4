using Swatop.Tests.Describe;

namespace Swatop.Tests.Graphs;

/// <summary>
/// Direct loops for each layer of a network, written from torchvision's definitions and independent of
/// the graph code: the oracle the graph reference is checked against. Sums follow the documented order
/// (a convolution over ci, kh, kw with fused multiply-adds; a fully connected layer over its inputs; an
/// average in row-major order), so double results agree bit for bit.
/// </summary>
internal static class NaiveLayers
{
    public static double[] Conv(double[] input, int[] shape, double[] weights, int outChannels, int kernel, int stride = 1, int padding = 0) =>
        new NaiveConvolution(shape[0], shape[1], outChannels, shape[2], shape[3], kernel, kernel, stride, stride, padding, padding, padding, padding)
            .Run(input, weights);

    public static double[] Add(double[] left, double[] right) => [.. left.Zip(right, (l, r) => l + r)];

    public static double[] MaxPool(double[] input, int[] shape, int kernel, int stride, int padding)
    {
        var (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3]);
        int oh = ((h + (2 * padding) - kernel) / stride) + 1, ow = ((w + (2 * padding) - kernel) / stride) + 1;
        var output = new double[n * c * oh * ow];
        for (var plane = 0; plane < n * c; plane++)
        {
            for (var y = 0; y < oh; y++)
            {
                for (var x = 0; x < ow; x++)
                {
                    var max = double.NegativeInfinity;
                    for (var ky = 0; ky < kernel; ky++)
                    {
                        for (var kx = 0; kx < kernel; kx++)
                        {
                            int iy = (y * stride) + ky - padding, ix = (x * stride) + kx - padding;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            {
                                max = Math.Max(max, input[(((plane * h) + iy) * w) + ix]);
                            }
                        }
                    }

                    output[(((plane * oh) + y) * ow) + x] = max;
                }
            }
        }

        return output;
    }

    public static double[] GlobalAveragePool(double[] input, int[] shape)
    {
        var size = shape[2] * shape[3];
        var output = new double[shape[0] * shape[1]];
        for (var plane = 0; plane < output.Length; plane++)
        {
            var sum = 0.0;
            for (var i = 0; i < size; i++)
            {
                sum += input[(plane * size) + i];
            }

            output[plane] = sum / size;
        }

        return output;
    }

    /// <summary><c>y[b][o] = sum_i x[b][i] * w[o][i]</c>.</summary>
    public static double[] FullyConnected(double[] x, int batch, double[] w, int outFeatures)
    {
        var inFeatures = x.Length / batch;
        var y = new double[batch * outFeatures];
        for (var b = 0; b < batch; b++)
        {
            for (var o = 0; o < outFeatures; o++)
            {
                var sum = 0.0;
                for (var i = 0; i < inFeatures; i++)
                {
                    sum = Math.FusedMultiplyAdd(x[(b * inFeatures) + i], w[(o * inFeatures) + i], sum);
                }

                y[(b * outFeatures) + o] = sum;
            }
        }

        return y;
    }
}
