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
                var error = Check(kernel, spec, random);
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

    /// <summary>Runs the kernel on seeded operands and returns why its output is not the reference's, or null.</summary>
    private static string? Check(Core.Targets.ICompiledKernel kernel, OperatorSpec spec, Random random)
    {
        var e = spec.Expression;
        var left = Values(random, e.Left.Tensor.ElementLength);
        var right = Values(random, e.Right.Tensor.ElementLength);
        double[] actual;
        if (spec.ElementType == ElementType.Float64)
        {
            var run = kernel.Run(Tensor.Create(left, Lengths(e.Left.Tensor)), Tensor.Create(right, Lengths(e.Right.Tensor)));
            actual = new double[e.Output.Tensor.ElementLength];
            run.Output.FlattenTo(actual);
        }
        else
        {
            (left, right) = ([.. left.Select(v => (double)(float)v)], [.. right.Select(v => (double)(float)v)]);
            var run = kernel.Run(
                Tensor.Create(left.Select(v => (float)v).ToArray(), Lengths(e.Left.Tensor)),
                Tensor.Create(right.Select(v => (float)v).ToArray(), Lengths(e.Right.Tensor)));
            var output = new float[e.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            actual = [.. output.Select(v => (double)v)];
        }

        var comparison = ReferenceComparison.Compare(e, spec.ElementType, left, right, actual);
        return comparison.Passed ? null : comparison.ToString();
    }

    private static double[] Values(Random random, long count) => [.. Enumerable.Range(0, (int)count).Select(_ => random.NextDouble() - 0.5)];

    private static nint[] Lengths(TensorDeclaration tensor) => [.. tensor.Shape.Select(l => (nint)l)];
}
