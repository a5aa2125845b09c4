using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Execution;

/// <summary>
/// A run reads a dense input where the framework keeps it instead of copying it into the emulated memory: the output is
/// the one a strided input (which is copied) gives, and the caller's tensors are left as they were.
/// </summary>
public sealed class InPlaceInputRunTests
{
    private static readonly OperatorSpec Conv = Operator.Conv2d(2, 3, 4, 5, 6, 3, padding: 1, elementType: ElementType.Float32);

    private static float[] InputValues() => [.. Enumerable.Range(0, 2 * 3 * 5 * 6).Select(i => (float)(i % 7) - 3.25f)];

    private static float[] WeightValues() => [.. Enumerable.Range(0, 4 * 3 * 3 * 3).Select(i => (float)(i % 5) - 2.5f)];

    /// <summary>The input's values in an array whose rows are 7 long, seen as the [2, 3, 5, 6] tensor: not dense.</summary>
    private static Tensor<float> StridedInput()
    {
        var values = InputValues();
        var padded = new float[2 * 3 * 5 * 7];
        for (var row = 0; row < 2 * 3 * 5; row++)
        {
            values.AsSpan(row * 6, 6).CopyTo(padded.AsSpan(row * 7, 6));
            padded[(row * 7) + 6] = float.NaN;
        }

        return Tensor.Create(padded, [2, 3, 5, 6], [105, 35, 7, 1]);
    }

    [Test]
    public void A_dense_input_read_where_it_lies_gives_the_output_a_copied_strided_one_gives_and_is_left_as_it_was()
    {
        var kernel = Conv.WithSchedule(Conv.Space(Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default);
        float[] input = InputValues(), weights = WeightValues();
        var strided = StridedInput();
        Assert.That(strided.IsDense, Is.False);

        var dense = kernel.Run(new Dictionary<string, Tensor<float>> { ["input"] = Tensor.Create(input, [2, 3, 5, 6]), ["weights"] = Tensor.Create(weights, [4, 3, 3, 3]) });
        var copied = kernel.Run(new Dictionary<string, Tensor<float>> { ["input"] = strided, ["weights"] = Tensor.Create(WeightValues(), [4, 3, 3, 3]) });

        var expected = ReferenceEvaluator.Evaluate(Conv.Expression, InputValues(), WeightValues());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(dense.Output.ToArray(), Is.EqualTo(copied.Output.ToArray()), "bit for bit");
            Assert.That(dense.Output.ToArray(), Is.EqualTo(expected));
            Assert.That(input, Is.EqualTo(InputValues()), "the input the run read where it lies");
            Assert.That(weights, Is.EqualTo(WeightValues()));
        }
    }

    [Test]
    public void A_prepared_kernel_reads_its_activations_where_they_lie_too()
    {
        var kernel = Conv.WithSchedule(Conv.Space(Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default);
        var prepared = kernel.Prepare(new Dictionary<string, Tensor<float>> { ["weights"] = Tensor.Create(WeightValues(), [4, 3, 3, 3]) });
        var input = InputValues();

        var dense = prepared.Run(new Dictionary<string, Tensor<float>> { ["input"] = Tensor.Create(input, [2, 3, 5, 6]) });
        var copied = prepared.Run(new Dictionary<string, Tensor<float>> { ["input"] = StridedInput() });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dense.Output.ToArray(), Is.EqualTo(copied.Output.ToArray()));
            Assert.That(dense.Output.ToArray(), Is.EqualTo(ReferenceEvaluator.Evaluate(Conv.Expression, InputValues(), WeightValues())));
            Assert.That(input, Is.EqualTo(InputValues()));
        }
    }
}
