using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Execution;

/// <summary>
/// A compiled kernel runs on its inputs given by tensor name, as the two-tensor runs do, and refuses a
/// missing, unknown, null or mis-shaped tensor with a message that names it.
/// </summary>
public sealed class NamedInputRunTests
{
    private static readonly OperatorSpec Conv = Operator.Conv2d(2, 3, 4, 5, 6, 3, padding: 1, elementType: ElementType.Float32);

    private static readonly Lazy<ICompiledKernel> Compiled = new(() => Conv.WithSchedule(Conv.Space(Sw26010Target.Default.Limits).Default()).Emit(Sw26010Target.Default));

    private static Tensor<float> Input(int rows = 5) => Tensor.Create(Enumerable.Range(0, 2 * 3 * rows * 6).Select(i => (float)(i % 7) - 3).ToArray(), [2, 3, rows, 6]);

    private static Tensor<float> Weights() => Tensor.Create(Enumerable.Range(0, 4 * 3 * 3 * 3).Select(i => (float)(i % 5) - 2).ToArray(), [4, 3, 3, 3]);

    private static ArgumentException Refused(Dictionary<string, Tensor<float>> inputs) => Assert.Throws<ArgumentException>(() => Compiled.Value.Run(inputs))!;

    [Test]
    public void Inputs_by_name_run_as_the_two_tensor_call_does()
    {
        var byName = Compiled.Value.Run(new Dictionary<string, Tensor<float>> { ["weights"] = Weights(), ["input"] = Input() });
        var byPosition = Compiled.Value.Run(Input(), Weights());
        var expected = ReferenceEvaluator.Evaluate(Conv.Expression, Input().ToArray(), Weights().ToArray());
        var actual = new float[expected.Length];
        byName.Output.FlattenTo(actual);
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(byName.Output.Lengths.ToArray(), Is.EqualTo(byPosition.Output.Lengths.ToArray()));
            Assert.That(byName.Profile, Is.EqualTo(byPosition.Profile));
        });
    }

    [Test]
    public void A_missing_input_is_named_with_the_inputs_the_operator_takes()
    {
        var e = Refused(new() { ["input"] = Input() });
        Assert.Multiple(() =>
        {
            Assert.That(e.ParamName, Is.EqualTo("inputs"));
            Assert.That(e.Message, Does.Contain("no tensor 'weights'").And.Contain("'input' [2][3][5][6], 'weights' [4][3][3][3]"));
        });
    }

    [Test]
    public void A_tensor_that_is_no_input_is_named()
    {
        var e = Refused(new() { ["input"] = Input(), ["weights"] = Weights(), ["bias"] = Tensor.Create(new float[4], [4]) });
        Assert.Multiple(() =>
        {
            Assert.That(e.ParamName, Is.EqualTo("inputs"));
            Assert.That(e.Message, Does.Contain("'bias' is not an input of the operator").And.Contain("its inputs are 'input'"));
        });
    }

    [Test]
    public void The_output_given_as_an_input_is_refused_as_the_output()
    {
        var e = Refused(new() { ["input"] = Input(), ["weights"] = Weights(), ["output"] = Tensor.Create(new float[2 * 4 * 5 * 6], [2, 4, 5, 6]) });
        Assert.That(e.Message, Does.Contain("'output' is the operator's output, not an input"));
    }

    [Test]
    public void A_misshaped_input_is_named_with_both_shapes()
    {
        var e = Refused(new() { ["input"] = Input(rows: 4), ["weights"] = Weights() });
        Assert.Multiple(() =>
        {
            Assert.That(e.ParamName, Is.EqualTo("inputs"));
            Assert.That(e.Message, Does.Contain("inputs['input'] has shape [2, 3, 4, 6]; the operator needs [2, 3, 5, 6]"));
        });
    }

    [Test]
    public void A_null_input_or_dictionary_is_refused()
    {
        var e = Assert.Throws<ArgumentNullException>(() => Compiled.Value.Run(new Dictionary<string, Tensor<float>> { ["input"] = Input(), ["weights"] = null! }))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ParamName, Is.EqualTo("inputs"));
            Assert.That(e.Message, Does.Contain("inputs['weights'] is null"));
            Assert.That(() => Compiled.Value.Run((IReadOnlyDictionary<string, Tensor<float>>)null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("inputs"));
        });
    }

    [Test]
    public void Inputs_of_another_element_type_are_refused()
    {
        var inputs = new Dictionary<string, Tensor<double>> { ["input"] = Tensor.Create(new double[2 * 3 * 5 * 6], [2, 3, 5, 6]), ["weights"] = Tensor.Create(new double[4 * 3 * 3 * 3], [4, 3, 3, 3]) };
        var e = Assert.Throws<ArgumentException>(() => Compiled.Value.Run(inputs))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ParamName, Is.EqualTo("inputs"));
            Assert.That(e.Message, Does.Contain("computes Float32").And.Contain("hold Float64"));
        });
    }

    [Test]
    public void The_two_tensor_run_names_the_parameter_it_refuses()
    {
        var e = Assert.Throws<ArgumentException>(() => Compiled.Value.Run(Input(), Tensor.Create(new float[4 * 3 * 3], [4, 3, 3])))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ParamName, Is.EqualTo("right"));
            Assert.That(e.Message, Does.StartWith("right ('weights') has shape [4, 3, 3]"));
            Assert.That(() => Compiled.Value.Run(Input(), null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("right"));
        });
    }

    [Test]
    public void The_inputs_are_flattened_in_the_kernels_order_whatever_the_dictionarys()
    {
        var flat = KernelInputs.Flatten(Compiled.Value.Lowered, new Dictionary<string, Tensor<float>> { ["weights"] = Weights(), ["input"] = Input() });
        Assert.Multiple(() =>
        {
            Assert.That(flat, Has.Length.EqualTo(2));
            Assert.That(flat[0], Is.EqualTo(Input().ToArray()));
            Assert.That(flat[1], Is.EqualTo(Weights().ToArray()));
        });
    }
}
