using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// Layout steps on the CPEs against the host's permute (<see cref="HostLayoutSteps"/>), bit for bit, for the
/// placements kernels of random schedules ask for; prepared kernels against unprepared ones; the cost
/// model's step prices against the emulator's.
/// </summary>
public sealed class LayoutStepTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Operators()
    {
        yield return new TestCaseData(Operator.Conv2d(4, 6, 8, 9, 7, 3, stride: 2, padding: 1, elementType: ElementType.Float64)).SetArgDisplayNames("conv 3x3 s2 p1 double");
        yield return new TestCaseData(Operator.Conv2d(16, 12, 24, 5, 5, 1, groups: 4, elementType: ElementType.Float32)).SetArgDisplayNames("grouped conv float");
        yield return new TestCaseData(Operator.Gemm(70, 45, 33, transposeA: true, batch: 3, elementType: ElementType.Float32)).SetArgDisplayNames("batched gemm ta float");
        yield return new TestCaseData(Operator.FullyConnected(37, 90, 50)).SetArgDisplayNames("fc double");
    }

    [TestCaseSource(nameof(Operators))]
    public void Packing_on_the_cpes_matches_the_host_permute_bit_for_bit(OperatorSpec spec)
    {
        var random = new Random(7);
        for (var sample = 0; sample < 6; sample++)
        {
            var lowered = KernelLowering.Lower(spec, spec.Space(Target.Limits).Sample(random), Target.Limits);
            foreach (var input in lowered.Inputs)
            {
                var placement = lowered.Placements[input.Name];
                if (placement.Layout.Window is not null)
                {
                    continue; // a column matrix is no permute of the tensor: Im2colConvolutionTests check it against the reference
                }

                if (spec.ElementType == ElementType.Float32)
                {
                    CheckPack<float>(placement, spec.ElementType, random, lowered.Schedule.ToString());
                }
                else
                {
                    CheckPack<double>(placement, spec.ElementType, random, lowered.Schedule.ToString());
                }
            }
        }
    }

    [TestCaseSource(nameof(Operators))]
    public void Unpacking_on_the_cpes_gathers_what_the_host_gathers_bit_for_bit(OperatorSpec spec)
    {
        var random = new Random(11);
        for (var sample = 0; sample < 6; sample++)
        {
            var lowered = KernelLowering.Lower(spec, spec.Space(Target.Limits).Sample(random), Target.Limits);
            var placement = lowered.OutputPlacement;
            if (spec.ElementType == ElementType.Float32)
            {
                CheckUnpack<float>(placement, spec.ElementType, random, lowered.Schedule.ToString());
            }
            else
            {
                CheckUnpack<double>(placement, spec.ElementType, random, lowered.Schedule.ToString());
            }
        }
    }

    [Test]
    public void A_prepared_kernel_gives_the_unprepared_output_and_reports_its_packing_once()
    {
        var spec = Operator.Conv2d(8, 16, 32, 10, 10, 3, padding: 1, elementType: ElementType.Float32);
        var kernel = spec.WithSchedule(spec.Space(Target.Limits).Sample(new Random(3))).Emit(Target);
        var input = Tensor.Create(Values<float>(8 * 16 * 10 * 10, new Random(1)), [8, 16, 10, 10]);
        var weights = Tensor.Create(Values<float>(32 * 16 * 9, new Random(2)), [32, 16, 3, 3]);
        var whole = kernel.Run(input, weights);
        var prepared = kernel.Prepare(new Dictionary<string, Tensor<float>> { ["weights"] = weights });
        var call = prepared.Run(new Dictionary<string, Tensor<float>> { ["input"] = input });

        Assert.That(call.Output.ToArray(), Is.EqualTo(whole.Output.ToArray()), "bit for bit");
        Assert.That(call.Profile.KernelSeconds, Is.EqualTo(whole.Profile.KernelSeconds));
        Assert.That(call.Profile.Steps.Select(s => s.Name), Has.None.Contains("weights"), "the weights are not packed per call");
        var packsWeights = whole.Profile.Steps.Any(s => s.Name == "pack weights");
        Assert.That(call.Profile.PrepareSteps.Any(s => s.Name == "prepare weights"), Is.EqualTo(packsWeights));
        Assert.That(call.Profile.EndToEndSeconds, Is.LessThanOrEqualTo(whole.Profile.EndToEndSeconds));
    }

    [Test]
    public void Preparing_every_input_or_passing_a_prepared_one_again_is_refused_by_name()
    {
        var spec = Operator.FullyConnected(16, 32, 8, ElementType.Float32);
        var kernel = spec.WithSchedule(spec.Space(Target.Limits).Default()).Emit(Target);
        var x = Tensor.Create(new float[16 * 32], [16, 32]);
        var w = Tensor.Create(new float[8 * 32], [8, 32]);
        var all = Assert.Throws<ArgumentException>(() => kernel.Prepare(new Dictionary<string, Tensor<float>> { ["X"] = x, ["W"] = w }))!;
        Assert.That(all.Message, Does.Contain("every input").And.Contain("'X'"));
        var prepared = kernel.Prepare(new Dictionary<string, Tensor<float>> { ["W"] = w });
        var again = Assert.Throws<ArgumentException>(() => prepared.Run(new Dictionary<string, Tensor<float>> { ["X"] = x, ["W"] = w }))!;
        Assert.That(again.Message, Does.Contain("'W'").And.Contain("prepared once"));
        Assert.That(again.ParamName, Is.EqualTo("activations"));
    }

    [Test]
    public void The_cost_models_step_prices_agree_with_the_emulator_within_a_factor_of_two()
    {
        var spec = Operator.Conv2d(32, 64, 64, 14, 14, 3, padding: 1);
        var random = new Random(5);
        var model = new Sw26010CostModel(Target.Spec);
        var ratios = new List<double>();
        for (var sample = 0; sample < 6; sample++)
        {
            var kernel = (Sw26010Kernel)spec.WithSchedule(spec.Space(Target.Limits).Sample(random)).Emit(Target);
            var (call, _) = kernel.MeasureCall(everyGroup: true);
            foreach (var step in call.Steps)
            {
                var pack = step.Name.StartsWith("pack", StringComparison.Ordinal);
                var name = step.Name[(step.Name.IndexOf(' ', StringComparison.Ordinal) + 1)..];
                var placement = kernel.Lowered.Placements[name];
                var predicted = model.EstimateStep(pack ? LayoutStep.Pack(placement, spec.ElementType) : LayoutStep.Unpack(placement, spec.ElementType));
                ratios.Add(predicted / step.Seconds);
            }
        }

        Assert.That(ratios, Is.Not.Empty);
        Assert.That(ratios, Has.All.InRange(0.5, 2.0), string.Join(", ", ratios.Select(r => r.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static void CheckPack<T>(TensorPlacement placement, ElementType type, Random random, string schedule)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var step = Sw26010LayoutStep.Compile(Target, LayoutStep.Pack(placement, type));
        var values = Values<T>(placement.Tensor.ElementLength, random);
        var chip = new Sw26010Chip();
        var source = chip.SharedMemory.Allocate<T>("source", values.Length);
        values.CopyTo(source.AsSpan<T>());
        var destinations = Enumerable.Range(0, step.Step.CoreGroups).Select(g => chip.CoreGroups[g].Memory.Allocate<T>("destination", placement.Layout.Elements)).ToArray();
        chip.Run(group => step.Program(source, destinations[group.Index]), step.Step.CoreGroups);
        for (var g = 0; g < destinations.Length; g++)
        {
            var expected = new T[placement.Layout.Elements];
            HostLayoutSteps.Pack<T>(placement, g, values, expected);
            Assert.That(destinations[g].AsSpan<T>().ToArray(), Is.EqualTo(expected), $"group {g}: {step.Step} under {schedule}, tiled {LayoutStepTiling.For(step.Step, Target.Limits.LdmBudgetBytes)}");
        }
    }

    private static void CheckUnpack<T>(TensorPlacement placement, ElementType type, Random random, string schedule)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var step = Sw26010LayoutStep.Compile(Target, LayoutStep.Unpack(placement, type));
        var groups = step.Step.CoreGroups;
        var chip = new Sw26010Chip();
        var sources = Enumerable.Range(0, groups).Select(g => chip.CoreGroups[g].Memory.Allocate<T>("source", placement.Layout.Elements)).ToArray();
        foreach (var source in sources)
        {
            Values<T>(placement.Layout.Elements, random).CopyTo(source.AsSpan<T>());
        }

        var expected = new T[placement.Tensor.ElementLength];
        HostLayoutSteps.Unpack<T>(placement, [.. sources.Select(s => (ReadOnlyMemory<T>)s.AsSpan<T>().ToArray())], expected);
        var destination = chip.SharedMemory.Allocate<T>("destination", expected.Length);
        chip.Run(group => step.Program(sources[group.Index], destination), groups);
        Assert.That(destination.AsSpan<T>().ToArray(), Is.EqualTo(expected), $"{step.Step} under {schedule}, tiled {LayoutStepTiling.For(step.Step, Target.Limits.LdmBudgetBytes)}");
    }

    private static T[] Values<T>(long count, Random random)
        where T : System.Numerics.INumberBase<T> =>
        [.. Enumerable.Range(0, (int)count).Select(_ => T.CreateChecked(random.Next(-1000, 1000) / 8.0))];
}
