using System.Diagnostics;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Primitives;

namespace Swatop.Cli.Operators;

/// <summary>
/// One operator run end to end with a schedule: lowered, optimized and compiled for the target, run on
/// seeded operands in the framework's layout, and its output compared with the reference.
/// </summary>
/// <param name="Schedule">The schedule that ran.</param>
/// <param name="Profile">The simulated profile of the run.</param>
/// <param name="Comparison">The output against the reference.</param>
/// <param name="HostSeconds">Wall time on this machine: compiling, emulating and checking.</param>
internal sealed record OperatorCheck(Schedule Schedule, KernelProfile Profile, ReferenceComparison Comparison, double HostSeconds)
{
    /// <summary>Runs <paramref name="spec"/> with <paramref name="schedule"/> on <paramref name="target"/>, operands drawn from <paramref name="seed"/>.</summary>
    /// <exception cref="ScheduleException">The schedule does not fit the operator or the target.</exception>
    public static OperatorCheck Run(OperatorSpec spec, Schedule schedule, ITarget target, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(target);
        var clock = Stopwatch.StartNew();
        var kernel = spec.WithSchedule(schedule).Emit(target);
        var e = spec.Expression;
        var random = new Random(seed);
        var float32 = spec.ElementType == ElementType.Float32;
        var left = Operand(random, e.Left.Tensor.ElementLength, float32);
        var right = Operand(random, e.Right.Tensor.ElementLength, float32);
        double[] actual;
        KernelProfile profile;
        if (float32)
        {
            var run = kernel.Run(Tensor.Create([.. left.Select(v => (float)v)], Lengths(e.Left.Tensor)), Tensor.Create([.. right.Select(v => (float)v)], Lengths(e.Right.Tensor)));
            var output = new float[e.Output.Tensor.ElementLength];
            run.Output.FlattenTo(output);
            (actual, profile) = ([.. output.Select(v => (double)v)], run.Profile);
        }
        else
        {
            var run = kernel.Run(Tensor.Create(left, Lengths(e.Left.Tensor)), Tensor.Create(right, Lengths(e.Right.Tensor)));
            actual = new double[e.Output.Tensor.ElementLength];
            run.Output.FlattenTo(actual);
            profile = run.Profile;
        }

        var comparison = ReferenceComparison.Compare(e, spec.ElementType, left, right, actual);
        return new OperatorCheck(schedule, profile, comparison, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Uniform values in [-0.5, 0.5), exactly representable in float when the operator is float.</summary>
    private static double[] Operand(Random random, long count, bool float32)
    {
        var values = new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            var value = random.NextDouble() - 0.5;
            values[i] = float32 ? (float)value : value;
        }

        return values;
    }

    private static nint[] Lengths(TensorDeclaration tensor) => [.. tensor.Shape.Select(l => (nint)l)];
}
