using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Pipeline;

/// <summary>The swDNN schedule through the whole pipeline against the hand-written swDNN kernel.</summary>
public sealed class SwDnnScheduleTests
{
    [TestCase(128, 8, 32, 10, 7, 3)]
    [TestCase(128, 16, 64, 6, 9, 3)]
    [TestCase(128, 8, 32, 5, 5, 2)]
    public void Pipeline_swdnn_schedule_gives_the_hand_kernels_bits_and_cycles(int batch, int ni, int no, int height, int width, int kernel)
    {
        var conv = Operator.Conv2d(batch, ni, no, height, width, kernel);
        var random = new Random(7);
        var input = Values(random, batch * ni * height * width);
        var weights = Values(random, no * ni * kernel * kernel);

        var compiled = conv.WithSchedule(Schedules.SwDnn(conv, Sw26010Target.Default.Limits)).Emit(Sw26010Target.Default);
        var run = compiled.Run(Tensor.Create(input, [batch, ni, height, width]), Tensor.Create(weights, [no, ni, kernel, kernel]));

        var shape = new SwDnnShape(batch, ni, no, height, width, kernel);
        var hand = new SwDnnConvolution(shape).Run(new Sw26010Chip(), ToSwDnnInput(input, shape), ToSwDnnWeights(weights, shape));
        var expected = FromSwDnnOutput(hand.Output.ToArray(), shape);
        var actual = new double[expected.Length];
        run.Output.FlattenTo(actual);
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected), "output bits");
            Assert.That(run.Profile.KernelSeconds, Is.EqualTo(hand.Report.Profile.SimulatedSeconds), "simulated kernel time");
        });
    }

    [Test]
    public void Swdnn_schedule_refuses_what_swdnn_does_not_support()
    {
        var strided = Operator.Conv2d(128, 8, 32, 9, 9, 3, stride: 2);
        var error = Assert.Throws<ScheduleException>(() => Schedules.SwDnn(strided, Sw26010Target.Default.Limits))!;
        Assert.That(error.Id, Is.EqualTo(ScheduleDiagnostics.NotApplicable));
        Assert.That(error.Message, Does.Contain("stride 1"));
    }

    private static double[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5)];

    private static double[] ToSwDnnInput(double[] nchw, SwDnnShape s)
    {
        var result = new double[nchw.Length];
        for (var n = 0; n < s.Batch; n++)
            for (var c = 0; c < s.InChannels; c++)
                for (var h = 0; h < s.InHeight; h++)
                    for (var w = 0; w < s.InWidth; w++)
                        result[(((h * s.InWidth) + w) * s.InChannels + c) * s.Batch + n] = nchw[(((n * s.InChannels) + c) * s.InHeight + h) * s.InWidth + w];
        return result;
    }

    private static double[] ToSwDnnWeights(double[] oihw, SwDnnShape s)
    {
        var result = new double[oihw.Length];
        var k = s.Kernel;
        for (var o = 0; o < s.OutChannels; o++)
            for (var i = 0; i < s.InChannels; i++)
                for (var kh = 0; kh < k; kh++)
                    for (var kw = 0; kw < k; kw++)
                        result[(((kh * k) + kw) * s.OutChannels + o) * s.InChannels + i] = oihw[(((o * s.InChannels) + i) * k + kh) * k + kw];
        return result;
    }

    private static double[] FromSwDnnOutput(double[] swdnn, SwDnnShape s)
    {
        var result = new double[swdnn.Length];
        for (var n = 0; n < s.Batch; n++)
            for (var o = 0; o < s.OutChannels; o++)
                for (var h = 0; h < s.OutHeight; h++)
                    for (var w = 0; w < s.OutWidth; w++)
                        result[(((n * s.OutChannels) + o) * s.OutHeight + h) * s.OutWidth + w] = swdnn[(((h * s.OutWidth) + w) * s.OutChannels + o) * s.Batch + n];
        return result;
    }
}
