using System.Numerics;
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
        var (profile, comparison) = spec.ElementType == ElementType.Float32
            ? Check(spec, schedule, kernel.Run, ReferenceOperands.DrawFloat(spec, seed))
            : Check(spec, schedule, kernel.Run, ReferenceOperands.Draw(spec, seed));
        return new OperatorCheck(schedule, profile, comparison, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Runs the kernel on <paramref name="inputs"/> (the operator's inputs in order, its epilogue's among them) and compares its
    /// output with the reference. The tensors wrap the arrays, which the run reads where they lie and the reference reads
    /// after it, so a check holds one copy of its inputs.
    /// </summary>
    private static (KernelProfile Profile, ReferenceComparison Comparison) Check<T>(OperatorSpec spec, Schedule schedule, Func<IReadOnlyDictionary<string, Tensor<T>>, KernelRun<T>> run, T[][] inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var named = spec.Inputs.Select((tensor, i) => (tensor.Name, Tensor: Tensor.Create(inputs[i], Lengths(tensor)))).ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        var result = run(named);
        return (result.Profile, ReferenceComparison.Compare(spec, schedule, inputs, result.Output));
    }

    private static nint[] Lengths(TensorDeclaration tensor) => [.. tensor.Shape.Select(l => (nint)l)];
}
