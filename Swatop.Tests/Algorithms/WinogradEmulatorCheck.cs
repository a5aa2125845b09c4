using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// A kernel of either Winograd algorithm run on the emulator on seeded inputs, in its operator's element type: its
/// output within Winograd's rounding bound of the reference (<see cref="ReferenceComparison.Compare{T}(OperatorSpec, Schedule, IReadOnlyList{T[]}, T[])"/>),
/// and its profile counting the direct convolution's flops.
/// </summary>
internal static class WinogradEmulatorCheck
{
    public static void Check(OperatorSpec spec, Schedule schedule, int seed)
    {
        var kernel = spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var inputs = ReferenceOperands.Draw(spec, seed);
        var shapes = spec.Expression.Inputs.Select(i => i.Tensor.Shape.Select(s => (nint)s).ToArray()).ToArray();
        ReferenceComparison comparison;
        double flops;
        if (spec.ElementType == ElementType.Float64)
        {
            var run = kernel.Run(Tensor.Create(inputs[0], shapes[0]), Tensor.Create(inputs[1], shapes[1]));
            var output = new double[spec.Expression.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            comparison = ReferenceComparison.Compare(spec, schedule, inputs, output);
            flops = run.Profile.Flops;
        }
        else
        {
            float[][] narrow = [.. inputs.Select(v => v.Select(x => (float)x).ToArray())];
            var run = kernel.Run(Tensor.Create(narrow[0], shapes[0]), Tensor.Create(narrow[1], shapes[1]));
            var output = new float[spec.Expression.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            comparison = ReferenceComparison.Compare(spec, schedule, narrow, output);
            flops = run.Profile.Flops;
        }

        Assert.That(comparison.Passed, $"{spec} {schedule}: {comparison}");
        Assert.That(flops, Is.EqualTo(spec.Flops), "GFLOPS count the direct convolution's flops.");
    }
}
