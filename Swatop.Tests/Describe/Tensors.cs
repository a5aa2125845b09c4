namespace Swatop.Tests.Describe;

/// <summary>Seeded tensor contents and index helpers for the reference tests.</summary>
internal static class Tensors
{
    /// <summary>Random values in [-1, 1), reproducible for a seed.</summary>
    public static double[] Random(long length, int seed)
    {
        var random = new Random(seed);
        var data = new double[length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (random.NextDouble() * 2) - 1;
        }

        return data;
    }

    /// <summary>The values 1, 2, 3, ...: small integers, so every sum is exact.</summary>
    public static double[] Counting(long length) => [.. Enumerable.Range(1, (int)length).Select(i => (double)i)];

    /// <summary>Row-major flat index of a multi-index.</summary>
    public static int At(int[] shape, params int[] index)
    {
        var flat = 0;
        for (var d = 0; d < shape.Length; d++)
        {
            flat = (flat * shape[d]) + index[d];
        }

        return flat;
    }

    /// <summary>Converts an NCHW tensor to NHWC.</summary>
    public static double[] NchwToNhwc(double[] data, int n, int c, int h, int w)
    {
        var result = new double[data.Length];
        for (var b = 0; b < n; b++)
        {
            for (var ch = 0; ch < c; ch++)
            {
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        result[At([n, h, w, c], b, y, x, ch)] = data[At([n, c, h, w], b, ch, y, x)];
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Converts OIHW weights to OHWI.</summary>
    public static double[] OihwToOhwi(double[] data, int o, int i, int h, int w) =>
        NchwToNhwc(data, o, i, h, w);
}
