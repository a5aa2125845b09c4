using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Pipeline;

/// <summary>Small operators with awkward sizes (primes, ones, nothing a multiple of anything) drawn from a seed.</summary>
internal static class RandomOperators
{
    private static readonly int[] Sizes = [1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 31, 37, 41, 64, 97, 130];

    /// <summary>Draws an operator; with <paramref name="meshChannels"/>, one in three 3 x 3 convolutions of stride 1 has a group's channels in the mesh GEMM's quanta (8 in, 32 out).</summary>
    public static OperatorSpec Draw(Random random, bool meshChannels = false)
    {
        var type = random.Next(4) == 0 ? ElementType.Float32 : ElementType.Float64;
        var spec = random.Next(5) switch
        {
            0 => Operator.Gemm(Size(random), Size(random), Size(random), random.Next(2) == 0, random.Next(2) == 0, elementType: type),
            1 => Operator.Gemm(Size(random), Size(random), Size(random), random.Next(2) == 0, random.Next(2) == 0, batch: 1 + random.Next(3), elementType: type),
            2 => Operator.FullyConnected(Size(random), Size(random), Size(random), type),
            _ => Conv(random, type, meshChannels),
        };
        return WithEpilogue(random, spec);
    }

    /// <summary>One operator in four with a fused epilogue: a bias or a residual add or both, then a clip.</summary>
    private static OperatorSpec WithEpilogue(Random random, OperatorSpec spec)
    {
        if (random.Next(4) != 0)
        {
            return spec;
        }

        var steps = new List<EpilogueStep>();
        if (random.Next(2) == 0)
        {
            steps.Add(EpilogueStep.Bias());
        }

        if (random.Next(2) == 0)
        {
            steps.Add(EpilogueStep.ResidualAdd([.. spec.Expression.Output.Tensor.Shape]));
        }

        steps.Add(random.Next(3) switch { 0 => EpilogueStep.Relu(), 1 => EpilogueStep.Relu6(), _ => EpilogueStep.Clip(-0.5, 0.5) });
        return spec.WithEpilogue([.. steps]);
    }

    private static int Size(Random random) => Sizes[random.Next(Sizes.Length)];

    private static OperatorSpec Conv(Random random, ElementType type, bool meshChannels)
    {
        while (true)
        {
            // One in three grouped (two groups), one in six depthwise (a group a channel, as MobileNet's).
            var kind = random.Next(6);
            var depthwise = kind == 0;
            var groups = depthwise ? 1 + random.Next(12) : kind <= 2 ? 2 : 1;
            var inChannels = depthwise ? groups : groups * (1 + random.Next(9));
            var outChannels = depthwise ? groups : groups * (1 + random.Next(12));
            var kernel = new Size2(1 + random.Next(3), 1 + random.Next(3));
            var stride = new Size2(1 + random.Next(2), 1 + random.Next(2));
            var dilation = new Size2(1 + random.Next(2), 1 + random.Next(2));
            // One operator in four is padded as far as PyTorch and ONNX accept, past the kernel: outputs that see only padding.
            var widePadding = random.Next(4) == 0;
            int Pad() => widePadding ? random.Next(4) : random.Next(2);
            var padding = new Padding2(Pad(), Pad(), Pad(), Pad());
            var height = 1 + random.Next(9);
            var width = 1 + random.Next(9);
            if (!depthwise && height % 3 == 0)
            {
                // One ordinary convolution in three is a 3 x 3 one of stride 1 and dilation 1, the shape Winograd's algorithm computes.
                (kernel, stride, dilation) = (new Size2(3, 3), new Size2(1, 1), new Size2(1, 1));
                if (meshChannels && width % 3 == 0)
                {
                    // One in three of those has a group's channels in the mesh GEMM's quanta, the shape the fused Winograd computes.
                    (inChannels, outChannels) = (groups * 8, groups * 32);
                }
            }

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
