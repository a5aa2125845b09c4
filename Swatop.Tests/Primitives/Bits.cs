namespace Swatop.Tests.PrimitiveKernels;

/// <summary>Bit patterns of floating-point arrays, for exact (bitwise) comparisons: -0 differs from +0, NaNs compare by payload.</summary>
internal static class Bits
{
    public static long[] Of(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);

    public static int[] Of(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
