using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Pipeline;

/// <summary>Every point of every space computes the operator: seeded random operators, random schedules, checked against the reference.</summary>
public sealed class EverySchedulePropertyTests
{
    private const int Pairs = 300;

    [Test]
    public void Random_schedules_of_random_operators_match_the_reference()
    {
        var random = new Random(20261125);
        var target = Sw26010Target.Default;
        var failures = new List<string>();
        for (var i = 0; i < Pairs; i++)
        {
            var spec = RandomOperators.Draw(random);
            var schedule = spec.Space(target.Limits).Sample(random);
            try
            {
                var kernel = spec.WithSchedule(schedule).Emit(target);
                var error = spec.ElementType == ElementType.Float64 ? RunDouble(kernel, spec, random) : RunFloat(kernel, spec, random);
                if (error is not null)
                {
                    failures.Add($"{spec.Signature} with {schedule}: {error}");
                }
            }
            catch (Exception exception) when (exception is not AssertionException)
            {
                failures.Add($"{spec.Signature} with {schedule}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures.Take(10)));
    }

    private static string? RunDouble(Core.Targets.ICompiledKernel kernel, OperatorSpec spec, Random random)
    {
        var e = spec.Expression;
        var left = Values(random, e.Left.Tensor.ElementLength);
        var right = Values(random, e.Right.Tensor.ElementLength);
        var run = kernel.Run(Tensor.Create(left, Lengths(e.Left.Tensor)), Tensor.Create(right, Lengths(e.Right.Tensor)));
        var actual = new double[e.Output.Tensor.ElementLength];
        run.Output.FlattenTo(actual);
        var expected = ReferenceEvaluator.Evaluate(e, left, right);
        var magnitude = ReferenceEvaluator.Evaluate(e, [.. left.Select(Math.Abs)], [.. right.Select(Math.Abs)]);
        return Compare(actual, expected, magnitude, 1e-13);
    }

    private static string? RunFloat(Core.Targets.ICompiledKernel kernel, OperatorSpec spec, Random random)
    {
        var e = spec.Expression;
        var left = Values(random, e.Left.Tensor.ElementLength).Select(v => (float)v).ToArray();
        var right = Values(random, e.Right.Tensor.ElementLength).Select(v => (float)v).ToArray();
        var run = kernel.Run(Tensor.Create(left, Lengths(e.Left.Tensor)), Tensor.Create(right, Lengths(e.Right.Tensor)));
        var actual = new float[e.Output.Tensor.ElementLength];
        run.Output.FlattenTo(actual);
        var expected = ReferenceEvaluator.Evaluate(e, left, right);
        var magnitude = ReferenceEvaluator.Evaluate(e, [.. left.Select(v => (double)Math.Abs(v))], [.. right.Select(v => (double)Math.Abs(v))]);
        return Compare([.. actual.Select(v => (double)v)], [.. expected.Select(v => (double)v)], magnitude, 1e-6);
    }

    /// <summary>Each element within a relative bound of the sum of the magnitudes of its products: the orders of summation differ between schedules.</summary>
    private static string? Compare(double[] actual, double[] expected, double[] magnitude, double tolerance)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(actual[i] - expected[i]) > tolerance * (magnitude[i] + 1e-300) && actual[i] != expected[i])
            {
                return $"element {i}: {actual[i]} instead of {expected[i]}";
            }
        }

        return null;
    }

    private static double[] Values(Random random, long count) => [.. Enumerable.Range(0, (int)count).Select(_ => random.NextDouble() - 0.5)];

    private static nint[] Lengths(TensorDeclaration tensor) => [.. tensor.Shape.Select(l => (nint)l)];
}
