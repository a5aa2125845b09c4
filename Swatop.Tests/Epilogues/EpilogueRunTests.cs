using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Epilogues;

/// <summary>
/// Operators with an epilogue run on the emulator and match the reference, which applies the epilogue too: each
/// step kind alone and ResNet's bias + residual + ReLU, in float and double, convolutions, GEMMs and fully
/// connected layers, under the default schedule and sampled ones (windows, blocked layouts, core groups).
/// </summary>
public sealed class EpilogueRunTests
{
    private static readonly OperatorSpec Conv = Operator.Conv2d(2, 3, 20, 7, 9, 3, padding: 1);

    private static readonly OperatorSpec GroupedConv = Operator.Conv2d(2, 4, 6, 6, 6, 3, padding: 1, groups: 2);

    private static readonly OperatorSpec Gemm = Operator.Gemm(37, 45, 19);

    private static readonly OperatorSpec FullyConnected = Operator.FullyConnected(5, 24, 30);

    private static readonly Epilogue ResNet = Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());

    private static IEnumerable<TestCaseData> Cases()
    {
        (string Name, OperatorSpec Spec)[] operators = [("conv", Conv), ("grouped conv", GroupedConv), ("gemm", Gemm), ("fc", FullyConnected)];
        (string Name, Epilogue Epilogue)[] epilogues =
        [
            ("bias", Epilogue.Of(EpilogueStep.Bias())),
            ("relu", Epilogue.Of(EpilogueStep.Relu())),
            ("relu6", Epilogue.Of(EpilogueStep.Relu6())),
            ("clip", Epilogue.Of(EpilogueStep.Clip(-0.1, 0.05))),
            ("upper clip", Epilogue.Of(EpilogueStep.Clip(double.NegativeInfinity, 0.01))),
            ("residual", Epilogue.Of(EpilogueStep.ResidualAdd())),
            ("resnet", ResNet),
        ];
        foreach (var (opName, spec) in operators)
        {
            foreach (var (epName, epilogue) in epilogues)
            {
                foreach (var type in new[] { ElementType.Float32, ElementType.Float64 })
                {
                    yield return new TestCaseData(spec.WithElementType(type).WithEpilogue(epilogue)).SetName($"An_epilogue_runs_as_the_reference_says({opName}, {epName}, {type})");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void An_epilogue_runs_as_the_reference_says(OperatorSpec spec)
    {
        var space = ScheduleSpace.For(spec, Sw26010Target.Default.Limits);
        var random = new Random(spec.Signature.Length);
        Schedule[] schedules = [space.Default(), space.Sample(random), space.Sample(random)];
        foreach (var schedule in schedules.Distinct())
        {
            Check(spec, schedule, seed: 3);
        }
    }

    [Test]
    public void A_one_by_one_convolution_with_merged_axes_adds_its_residual_in_place()
    {
        var spec = Operator.Conv2d(2, 16, 24, 4, 5, 1, elementType: ElementType.Float32).WithEpilogue(ResNet);
        var space = ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits);
        var merged = space.Enumerate().Where(s => !s.MergedAxes.IsEmpty).Take(3).ToList();
        Assert.That(merged, Is.Not.Empty, "the space merges a 1 x 1 convolution's rows and columns");
        foreach (var schedule in merged)
        {
            Check(spec, schedule, seed: 5);
        }
    }

    [Test]
    public void The_epilogue_changes_the_output()
    {
        var plain = Operator.Gemm(33, 40, 17, elementType: ElementType.Float32);
        var fused = plain.WithEpilogue(ResNet);
        var inputs = ReferenceOperands.Draw(fused, 1);
        var f = inputs.Select(v => v.Select(x => (float)x).ToArray()).ToArray();
        var with = Run(fused, ScheduleSpace.For(fused, Sw26010Target.Default.Limits).Default(), f);
        var without = Run(plain, ScheduleSpace.For(plain, Sw26010Target.Default.Limits).Default(), f[..2]);
        Assert.Multiple(() =>
        {
            Assert.That(with.Count(v => v == 0), Is.GreaterThan(with.Length / 4), "ReLU zeroes the negative sums");
            Assert.That(with, Is.Not.EqualTo(without));
            Assert.That(ReferenceComparison.Compare(fused, f, without).Passed, Is.False, "the comparison sees an epilogue left out");
        });
    }

    private static void Check(OperatorSpec spec, Schedule schedule, int seed)
    {
        var inputs = ReferenceOperands.Draw(spec, seed);
        ReferenceComparison comparison;
        if (spec.ElementType == ElementType.Float32)
        {
            var f = inputs.Select(v => v.Select(x => (float)x).ToArray()).ToArray();
            comparison = ReferenceComparison.Compare(spec, f, Run(spec, schedule, f));
        }
        else
        {
            comparison = ReferenceComparison.Compare(spec, inputs, Run(spec, schedule, inputs));
        }

        Assert.That(comparison.Passed, $"{spec.Signature} under {schedule}: {comparison}");
    }

    private static T[] Run<T>(OperatorSpec spec, Schedule schedule, T[][] inputs)
    {
        var kernel = spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var named = spec.Inputs.Select((t, i) => (t, i)).ToDictionary(p => p.t.Name, p => Tensor.Create(inputs[p.i], [.. p.t.Shape.Select(l => (nint)l)]));
        var run = typeof(T) == typeof(float)
            ? (object)kernel.Run((Dictionary<string, Tensor<float>>)(object)named).Output
            : kernel.Run((Dictionary<string, Tensor<double>>)(object)named).Output;
        var tensor = (Tensor<T>)run;
        var flat = new T[spec.Expression.Output.Tensor.ElementLength];
        tensor.FlattenTo(flat);
        return flat;
    }
}
