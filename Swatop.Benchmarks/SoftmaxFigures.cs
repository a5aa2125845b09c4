using System.Globalization;
using Swatop.Core.Graphs;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The ResNet-50 classifier's softmax (128 x 1000 in double) as a CPE kernel, emulated in timing-only mode on the 4 core
/// groups, against the MPE estimate; the exponential primitive's cycles a call; and its error against
/// <see cref="Math.Exp"/> over a sweep of its range (the largest distance in ulps and the share of equal results).
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- softmax</c>.
/// </summary>
public static class SoftmaxFigures
{
    /// <summary>Measures and prints the figures.</summary>
    public static void Run()
    {
        var target = Sw26010Target.Default;
        foreach (var type in new[] { ElementType.Float64, ElementType.Float32 })
        {
            var b = new GraphBuilder("classifier", type);
            var node = b.Output(b.Softmax("prob", b.Input("x", 128, 1000))).Build().Nodes[0];
            var kernel = Sw26010NodeKernel.For(target, node, type) ?? throw new InvalidOperationException("no kernel for the softmax");
            var bytes = type == ElementType.Float32 ? sizeof(float) : sizeof(double);
            var chip = new Sw26010Chip(target.Spec, target.Options with { TimingOnly = true });
            var source = chip.SharedMemory.Allocate("x", node.Output.ElementLength * bytes);
            var destination = chip.SharedMemory.Allocate("y", node.Output.ElementLength * bytes);
            var time = kernel.Run(chip, source, destination);
            var mpe = Sw26010NodeTiming.MpeSeconds(target.Spec, node, type);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"softmax 128 x 1000 {type}: CPE kernel {time.Seconds * 1e3:F4} ms, MPE estimate {mpe * 1e3:F4} ms, {mpe / time.Seconds:F1} x ({kernel})"));
        }

        foreach (var count in new long[] { 1000, 1024 })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"exp primitive on {count} aligned elements: {ExpPrimitive.Cycles(target.Spec.Timing, target.Spec.SimdLanes, count):F0} cycles"));
        }

        var (worst, at, exact, total) = (0L, 0.0, 0L, 0L);
        var random = new Random(1);
        for (var i = 0; i < 2_000_000; i++)
        {
            var x = i % 2 == 0 ? -745.2 + (1455.0 * i / 2_000_000) : (random.NextDouble() * 4) - 2;
            var ulps = Math.Abs(BitConverter.DoubleToInt64Bits(ExpKernel.Exp(x)) - BitConverter.DoubleToInt64Bits(Math.Exp(x)));
            (worst, at) = ulps > worst ? (ulps, x) : (worst, at);
            exact += ulps == 0 ? 1 : 0;
            total++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exp double against Math.Exp over {total} arguments: at most {worst} ulp (at {at:R}), equal in {100.0 * exact / total:F2} %"));
        var (worstF, atF, exactF) = (0, 0f, 0L);
        for (var i = 0; i < 2_000_000; i++)
        {
            var x = (float)((random.NextDouble() * 192) - 104);
            var ulps = Math.Abs(BitConverter.SingleToInt32Bits(ExpKernel.Exp(x)) - BitConverter.SingleToInt32Bits((float)Math.Exp(x)));
            (worstF, atF) = ulps > worstF ? (ulps, x) : (worstF, atF);
            exactF += ulps == 0 ? 1 : 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exp float against Math.Exp rounded to float over 2000000 arguments: at most {worstF} ulp (at {atF:R}), equal in {100.0 * exactF / 2_000_000:F2} %"));
    }
}
