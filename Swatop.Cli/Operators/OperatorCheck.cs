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
        var (leftValues, rightValues) = ReferenceOperands.Draw(e, seed);
        ReferenceComparison comparison;
        KernelProfile profile;
        if (spec.ElementType == ElementType.Float32)
        {
            float[] left = [.. leftValues.Select(v => (float)v)];
            float[] right = [.. rightValues.Select(v => (float)v)];
            var run = kernel.Run(Tensor.Create(left, Lengths(e.Left.Tensor)), Tensor.Create(right, Lengths(e.Right.Tensor)));
            comparison = ReferenceComparison.Compare(e, spec.ElementType, left, right, Flat(run.Output, e));
            profile = run.Profile;
        }
        else
        {
            var left = leftValues;
            var right = rightValues;
            var run = kernel.Run(Tensor.Create(left, Lengths(e.Left.Tensor)), Tensor.Create(right, Lengths(e.Right.Tensor)));
            comparison = ReferenceComparison.Compare(e, spec.ElementType, left, right, Flat(run.Output, e));
            profile = run.Profile;
        }

        return new OperatorCheck(schedule, profile, comparison, clock.Elapsed.TotalSeconds);
    }

    private static T[] Flat<T>(Tensor<T> tensor, Contraction expression)
    {
        var values = new T[expression.Output.Tensor.ElementLength];
        tensor.FlattenTo(values);
        return values;
    }

    private static nint[] Lengths(TensorDeclaration tensor) => [.. tensor.Shape.Select(l => (nint)l)];
}
