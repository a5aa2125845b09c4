using System.Globalization;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>
/// The plain reference of the swDNN convolution: the same valid, stride-1 convolution over the
/// same layouts (<see cref="SwDnnShape"/>), with each output element accumulated in the kernel's
/// order, one chain of <see cref="Math.FusedMultiplyAdd(double, double, double)"/> from zero over
/// the kernel row, then the kernel column, then the input channel. <see cref="SwDnnConvolution"/>
/// must equal it bit for bit.
/// </summary>
/// <remarks>
/// It lives next to the kernel rather than in Swatop.Primitives because both its layouts and its
/// summation order are the swDNN schedule's: each mesh GEMM call continues the chain of one output
/// element over the input channels (SUMMA steps in order, a sequential fused chain within a step),
/// and the loop nest reaches a fixed output column with kc ascending inside kr ascending. Operator
/// references in general layouts belong to the operator description, not here.
/// </remarks>
public static class SwDnnReferenceConvolution
{
    /// <summary>Convolves <paramref name="input"/> (<c>[Ri][Ci][Ni][B]</c>) with <paramref name="weights"/> (<c>[Kr][Kc][No][Ni]</c>) into a new <c>[Ro][Co][No][B]</c> array.</summary>
    /// <exception cref="ArgumentException">A tensor's length does not match the shape.</exception>
    public static double[] Convolve(SwDnnShape shape, ReadOnlySpan<double> input, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.OutputLength > Array.MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The output of {shape} has {shape.OutputLength} elements, more than a .NET array holds."), nameof(shape));
        }

        var output = new double[shape.OutputLength];
        Convolve(shape, input, weights, output);
        return output;
    }

    /// <summary>Convolves <paramref name="input"/> with <paramref name="weights"/> into <paramref name="output"/>, overwriting it.</summary>
    /// <exception cref="ArgumentException">A tensor's length does not match the shape.</exception>
    public static void Convolve(SwDnnShape shape, ReadOnlySpan<double> input, ReadOnlySpan<double> weights, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(shape);
        RequireLength(input.Length, shape.InputLength, nameof(input), "Ri Ci Ni B");
        RequireLength(weights.Length, shape.WeightLength, nameof(weights), "K K No Ni");
        RequireLength(output.Length, shape.OutputLength, nameof(output), "Ro Co No B");
        int batch = shape.Batch, kernel = shape.Kernel;
        for (var ro = 0; ro < shape.OutHeight; ro++)
        {
            for (var co = 0; co < shape.OutWidth; co++)
            {
                for (var no = 0; no < shape.OutChannels; no++)
                {
                    // The B outputs of (ro, co, no) are independent chains; walking them together keeps
                    // every read contiguous without changing any chain's order.
                    var sums = output.Slice((int)shape.OutputIndex(ro, co, no, 0), batch);
                    sums.Clear();
                    for (var kr = 0; kr < kernel; kr++)
                    {
                        for (var kc = 0; kc < kernel; kc++)
                        {
                            for (var ni = 0; ni < shape.InChannels; ni++)
                            {
                                var weight = weights[(int)shape.WeightIndex(kr, kc, no, ni)];
                                var pixels = input.Slice((int)shape.InputIndex(ro + kr, co + kc, ni, 0), batch);
                                for (var b = 0; b < batch; b++)
                                {
                                    sums[b] = Math.FusedMultiplyAdd(pixels[b], weight, sums[b]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void RequireLength(int actual, long expected, string name, string formula)
    {
        if (actual != expected)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{name} has {actual} elements; the shape needs {formula} = {expected}."), name);
        }
    }
}
