using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Pipeline;

/// <summary>Small operators with awkward sizes (primes, ones, nothing a multiple of anything) drawn from a seed.</summary>
internal static class RandomOperators
{
    private static readonly int[] Sizes = [1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 31, 37, 41, 64, 97, 130];

    public static OperatorSpec Draw(Random random)
    {
        var type = random.Next(4) == 0 ? ElementType.Float32 : ElementType.Float64;
        return random.Next(5) switch
        {
            0 => Operator.Gemm(Size(random), Size(random), Size(random), random.Next(2) == 0, random.Next(2) == 0, elementType: type),
            1 => Operator.Gemm(Size(random), Size(random), Size(random), random.Next(2) == 0, random.Next(2) == 0, batch: 1 + random.Next(3), elementType: type),
            2 => Operator.FullyConnected(Size(random), Size(random), Size(random), type),
            _ => Conv(random, type),
        };
    }

    private static int Size(Random random) => Sizes[random.Next(Sizes.Length)];

    private static OperatorSpec Conv(Random random, ElementType type)
    {
        while (true)
        {
            var groups = random.Next(3) == 0 ? 2 : 1;
            var inChannels = groups * (1 + random.Next(9));
            var outChannels = groups * (1 + random.Next(12));
            var kernel = new Size2(1 + random.Next(3), 1 + random.Next(3));
            var stride = new Size2(1 + random.Next(2), 1 + random.Next(2));
            var dilation = new Size2(1 + random.Next(2), 1 + random.Next(2));
            // One operator in four is padded as far as PyTorch and ONNX accept, past the kernel: outputs that see only padding.
            var widePadding = random.Next(4) == 0;
            int Pad() => widePadding ? random.Next(4) : random.Next(2);
            var padding = new Padding2(Pad(), Pad(), Pad(), Pad());
            var height = 1 + random.Next(9);
            var width = 1 + random.Next(9);
            try
            {
                return Operator.Conv2d(1 + random.Next(3), inChannels, outChannels, height, width, kernel, stride, padding, dilation, groups, type,
                    random.Next(4) == 0 ? ConvLayout.Nhwc : ConvLayout.Nchw);
            }
            catch (OperatorDescriptionException)
            {
                // An impossible combination (a kernel larger than the padded input): draw again.
            }
        }
    }
}
