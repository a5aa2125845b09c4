using Swatop.Core;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Epilogues;

/// <summary>
/// Epilogues as values: their steps print into the operator's signature and compare by value, the operator
/// names the tensors they read, the reference applies them, a tuning record keeps them apart, and a bad
/// epilogue is refused with its diagnostic.
/// </summary>
public sealed class EpilogueDescribeTests
{
    private static readonly OperatorSpec Conv = Operator.Conv2d(2, 8, 6, 5, 5, 3, padding: 1, groups: 2);

    [Test]
    public void Each_step_prints_into_the_signature_in_order()
    {
        var spec = Operator.Gemm(4, 5, 6).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());
        Assert.Multiple(() =>
        {
            Assert.That(spec.Signature, Is.EqualTo("gemm b=1 m=4 n=5 k=6 ta=0 tb=0 float64 epilogue bias residual relu"));
            Assert.That(Epilogue.Of(EpilogueStep.Relu6()).ToString(), Is.EqualTo("relu6"));
            Assert.That(Epilogue.Of(EpilogueStep.Clip(-1.5, double.PositiveInfinity)).ToString(), Is.EqualTo("clip(-1.5,inf)"));
            Assert.That(Epilogue.Of(EpilogueStep.Clip(double.NegativeInfinity, 2)).ToString(), Is.EqualTo("clip(-inf,2)"));
            Assert.That(Epilogue.Of(EpilogueStep.Clip(-0.0, 6)), Is.EqualTo(Epilogue.Of(EpilogueStep.Relu6())), "-0 clips as 0 does");
        });
    }

    [Test]
    public void Operators_with_different_epilogues_differ_and_equal_ones_are_equal()
    {
        var a = Conv.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu());
        var b = Conv.WithEpilogue(Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.Relu()));
        var c = Conv.WithEpilogue(EpilogueStep.Relu(), EpilogueStep.Bias());
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a, Is.Not.EqualTo(c), "the order of the steps matters");
            Assert.That(a, Is.Not.EqualTo(Conv));
            Assert.That(a.Signature, Is.Not.EqualTo(c.Signature));
            Assert.That(a.WithEpilogue(Epilogue.None), Is.EqualTo(Conv));
            Assert.That(a.WithElementType(ElementType.Float32).Epilogue, Is.EqualTo(a.Epilogue));
            Assert.That(Conv.WithEpilogue(EpilogueStep.ResidualAdd(2, 6, 5, 5)), Is.EqualTo(Conv.WithEpilogue(EpilogueStep.ResidualAdd())), "a stated shape that fits is dropped");
        });
    }

    [Test]
    public void The_operator_names_the_epilogues_tensors_with_their_shapes_and_which_are_constant()
    {
        var spec = Conv.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());
        Assert.Multiple(() =>
        {
            Assert.That(spec.Inputs.Select(t => t.ToString()), Is.EqualTo(new[] { "input[2][8][5][5]", "weights[6][4][3][3]", "bias[6]", "residual[2][6][5][5]" }));
            Assert.That(spec.ConstantInputs, Is.EqualTo(new[] { "weights", "bias" }));
            Assert.That(spec.EpilogueInputs[0].Indices.Single().ToString(), Does.Contain("g").And.Contain("co"), "a grouped convolution's bias spans every group");
            Assert.That(Operator.FullyConnected(3, 4, 5).WithEpilogue(EpilogueStep.Bias()).Inputs.Last().ToString(), Is.EqualTo("bias[5]"));
        });
    }

    [Test]
    public void The_reference_applies_the_steps_in_order()
    {
        // C = A * B with A = [1, -2] (1 x 2... as 1 x 1 x 2) and B = identity-like columns: one product per element.
        var spec = Operator.Gemm(1, 3, 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu6());
        double[] a = [2], b = [1, -3, 2.5], bias = [0.5, 1, 3], residual = [0.25, 0.5, 1];
        var output = ReferenceEvaluator.Evaluate(spec, a, b, bias, residual);
        Assert.That(output, Is.EqualTo(new[] { Math.Min(Math.Max(2 + 0.5 + 0.25, 0), 6), 0, 6 }));
        float[] f = [2];
        Assert.That(ReferenceEvaluator.Evaluate(spec.WithElementType(ElementType.Float32), f, [1f, -3f, 2.5f], [0.5f, 1f, 3f], [0.25f, 0.5f, 1f]), Is.EqualTo(new[] { 2.75f, 0f, 6f }));
    }

    [Test]
    public void The_reference_refuses_epilogue_tensors_that_do_not_fit()
    {
        var spec = Operator.Gemm(1, 3, 1).WithEpilogue(EpilogueStep.Bias());
        Assert.Multiple(() =>
        {
            Assert.That(() => ReferenceEvaluator.Evaluate(spec, [2.0], [1.0, 2, 3]), Throws.ArgumentException.With.Message.Contains("bias[3]"));
            Assert.That(() => ReferenceEvaluator.Evaluate(spec, [2.0], [1.0, 2, 3], [1.0, 2]), Throws.ArgumentException.With.Message.Contains("inputs[0].Length = 2"));
        });
    }

    [Test]
    public void Seeded_operands_draw_the_epilogues_tensors_after_the_operands()
    {
        var plain = Operator.Gemm(3, 4, 5);
        var drawn = ReferenceOperands.Draw(plain.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd()), 9);
        var (left, right) = ReferenceOperands.Draw(plain.Expression, 9);
        Assert.Multiple(() =>
        {
            Assert.That(drawn.Select(d => d.Length), Is.EqualTo(new[] { 15, 20, 4, 12 }));
            Assert.That(drawn[0], Is.EqualTo(left));
            Assert.That(drawn[1], Is.EqualTo(right));
        });
    }

    [Test]
    public void A_tuning_record_keeps_the_epilogue_in_its_signature_through_JSON()
    {
        var spec = Conv.WithEpilogue(EpilogueStep.Bias(), EpilogueStep.Relu());
        var target = Sw26010Target.Default;
        var record = TuningRecord.For(spec, target, spec.Space(target.Limits).Default(), 1e-3, null, DateTimeOffset.UnixEpoch);
        var path = Path.Combine(Path.GetTempPath(), $"swatop-epilogue-{Guid.NewGuid():N}.jsonl");
        try
        {
            var database = new TuningDatabase(path);
            database.Append(record);
            Assert.Multiple(() =>
            {
                Assert.That(database.Lookup(spec, target)?.OperatorSignature, Is.EqualTo(spec.Signature));
                Assert.That(database.Lookup(Conv, target), Is.Null, "the operator without the epilogue has no record");
                Assert.That(database.Lookup(Conv.WithEpilogue(EpilogueStep.Bias()), target), Is.Null);
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(double.NaN, 1.0, "min")]
    [TestCase(0.0, double.NaN, "max")]
    [TestCase(2.0, 1.0, "min")]
    public void SWD0030_a_clip_with_a_NaN_bound_or_min_above_max_is_refused(double min, double max, string parameter)
    {
        var e = Assert.Throws<OperatorDescriptionException>(() => EpilogueStep.Clip(min, max))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Id, Is.EqualTo(DescribeDiagnostics.InvalidClipBounds));
            Assert.That(e.ParamName, Is.EqualTo(parameter));
            Assert.That(e.Message, Does.Contain("min must not be greater than max"));
        });
    }

    [Test]
    public void SWD0029_a_bias_on_an_operator_without_channels_is_refused()
    {
        var custom = Operator.Define(Operator.Gemm(4, 5, 6).Expression);
        var e = Assert.Throws<OperatorDescriptionException>(() => custom.WithEpilogue(EpilogueStep.Relu(), EpilogueStep.Bias()))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Id, Is.EqualTo(DescribeDiagnostics.EpilogueWithoutChannels));
            Assert.That(e.ParamName, Is.EqualTo("epilogue.Steps[1]"));
            Assert.That(e.Message, Does.Contain("bias").And.Contain("Custom"));
            Assert.That(custom.WithEpilogue(EpilogueStep.Relu(), EpilogueStep.ResidualAdd()).Inputs.Count(), Is.EqualTo(3), "a custom operator takes a clip and a residual");
        });
    }

    [TestCase("bias", "bias")]
    [TestCase("residual", "residual")]
    [TestCase("clip", "clip")]
    public void SWD0031_a_step_repeated_where_it_makes_no_sense_is_refused(string kind, string named)
    {
        EpilogueStep[] steps = kind switch
        {
            "bias" => [EpilogueStep.Bias(), EpilogueStep.Relu(), EpilogueStep.Bias()],
            "residual" => [EpilogueStep.ResidualAdd(), EpilogueStep.ResidualAdd()],
            _ => [EpilogueStep.Bias(), EpilogueStep.Relu(), EpilogueStep.Relu6()],
        };
        var e = Assert.Throws<OperatorDescriptionException>(() => Epilogue.Of(steps))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Id, Is.EqualTo(DescribeDiagnostics.RepeatedEpilogueStep));
            Assert.That(e.ParamName, Does.StartWith("steps["));
            Assert.That(e.Message, Does.Contain(named));
            Assert.That(Epilogue.Of(EpilogueStep.Relu(), EpilogueStep.Bias(), EpilogueStep.Relu()).Steps, Has.Length.EqualTo(3), "clips apart from each other are fine");
        });
    }

    [Test]
    public void SWD0032_a_residual_of_another_shape_is_refused_with_both_shapes()
    {
        var e = Assert.Throws<OperatorDescriptionException>(() => Conv.WithEpilogue(EpilogueStep.ResidualAdd(2, 6, 5, 4)))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Id, Is.EqualTo(DescribeDiagnostics.EpilogueShapeMismatch));
            Assert.That(e.ParamName, Is.EqualTo("epilogue.Steps[0]"));
            Assert.That(e.Message, Does.Contain("[2][6][5][4]").And.Contain("output[2][6][5][5]"));
        });
    }

    [Test]
    public void SWD0033_an_epilogue_tensor_named_like_an_operator_tensor_is_refused()
    {
        var m = Axis.Index("m", 4);
        var n = Axis.Index("n", 5);
        var k = Axis.Reduction("k", 6);
        var expression = Contraction.Create("mine", [m, n], [k], TensorDeclaration.Create("residual", 4, 5)[m, n],
            TensorDeclaration.Create("a", 4, 6)[m, k], TensorDeclaration.Create("b", 6, 5)[k, n]);
        var e = Assert.Throws<OperatorDescriptionException>(() => Operator.Define(expression).WithEpilogue(EpilogueStep.ResidualAdd()))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Id, Is.EqualTo(DescribeDiagnostics.EpilogueTensorNameTaken));
            Assert.That(e.Message, Does.Contain("'residual'"));
        });
    }
}
