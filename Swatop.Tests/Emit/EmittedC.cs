using Swatop.Core.Algorithms.ImplicitGemm;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>Checks of emitted C beyond the reference: the emulator's output bits and per-CPE counts for the same kernel.</summary>
internal static class EmittedC
{
    /// <summary>The kernel of <paramref name="spec"/> under <paramref name="schedule"/> on the default target, whatever its number of core groups.</summary>
    public static Sw26010Kernel Kernel(OperatorSpec spec, Schedule schedule) => (Sw26010Kernel)spec.WithSchedule(schedule).Emit(Sw26010Target.Default);

    /// <summary>
    /// Emits, builds and runs the kernel against the shim (which checks it against the reference),
    /// then runs it on the emulator with the same operands: the outputs must agree bit for bit, and
    /// each CPE's DMA operations and primitive calls, summed over the core groups, must agree too.
    /// </summary>
    public static EmittedKernelCheck CheckAgainstEmulator(OperatorSpec spec, Schedule schedule, int seed, GccShimOptions options)
    {
        var kernel = Kernel(spec, schedule);
        var check = EmittedKernelCheck.Run(kernel, seed, options);
        var emulated = EmulatorOutput(kernel, check.Inputs);
        for (var i = 0; i < emulated.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(emulated[i]) != BitConverter.DoubleToInt64Bits(check.Output[i]))
            {
                throw new InvalidOperationException($"Kernel '{check.Kernel}': element {i} of the output is {check.Output[i]:R} from the emitted C and {emulated[i]:R} from the emulator.");
            }
        }

        var differences = ShimCounts.Differences(check.Counts, EmulatorCountsPerCpe(kernel));
        if (differences.Count > 0)
        {
            throw new InvalidOperationException($"Kernel '{check.Kernel}': the shim's counts differ from the emulator's in {differences.Count} places: {string.Join("; ", differences.Take(6))}.");
        }

        return check;
    }

    /// <summary>
    /// Each CPE's activity in the emulator's timing-only run of a call, summed over the core groups, as the
    /// shim counts a program that runs them in turn: the kernel's, and its layout steps' (<see cref="StepCountsPerCpe"/>).
    /// </summary>
    public static IReadOnlyList<CpeActivity> EmulatorCountsPerCpe(Sw26010Kernel kernel)
    {
        var kernelCounts = KernelCountsPerCpe(kernel);
        var steps = StepCountsPerCpe(kernel);
        return [.. kernelCounts.Select((counts, id) => counts + steps[id])];
    }

    /// <summary>
    /// Each CPE's activity in the emulator's timing-only run of the kernel alone, summed over the core groups: of an unprepared
    /// call, as the emitted entry function takes every input each call (the composite Winograd's plain kernel, its filters transformed in the call).
    /// </summary>
    public static IReadOnlyList<CpeActivity> KernelCountsPerCpe(Sw26010Kernel kernel) => PerCpe([kernel.MeasureReport(prepared: false)]);

    /// <summary>
    /// Each CPE's activity in the kernel's layout steps on the emulator (timing only), summed over the steps
    /// and the core groups: every step of a call that runs on the CPEs, the packs of the operator's constants among
    /// them, since the emitted entry function packs every input on each call; a step on the MPE is the host's copy.
    /// </summary>
    public static IReadOnlyList<CpeActivity> StepCountsPerCpe(Sw26010Kernel kernel) =>
        PerCpe([.. kernel.LayoutSteps.Where(step => !step.RunsOnMpe).Select(step => RunStep(step, kernel.Lowered.Kernel.ElementType))]);

    /// <summary>Runs <paramref name="step"/> on every core group of its share, timing only, as a call runs it.</summary>
    public static ChipRunReport RunStep(Sw26010LayoutStep step, ElementType type)
    {
        var chip = new Sw26010Chip(options: new EmulatorOptions { TimingOnly = true });
        var groups = step.Step.CoreGroups;
        GlobalBuffer Allocate(MainMemory memory, long elements) =>
            type == ElementType.Float32 ? memory.Allocate<float>("tensor", elements) : memory.Allocate<double>("tensor", elements);
        var framework = Allocate(chip.SharedMemory, step.Step.Tensor.ElementLength);
        var copies = Enumerable.Range(0, groups).Select(g => Allocate(chip.CoreGroups[g].Memory, Math.Max(step.Step.Source.Elements, step.Step.Destination.Elements))).ToArray();
        var packs = step.Step.Kind == Core.LayoutSteps.LayoutStepKind.Pack;
        return chip.Run(group => packs ? step.Program(framework, copies[group.Index]) : step.Program(copies[group.Index], framework), groups);
    }

    private static CpeActivity[] PerCpe(IReadOnlyList<ChipRunReport> reports) =>
        [.. Enumerable.Range(0, 64).Select(id => CpeActivity.Sum(reports.SelectMany(r => r.CoreGroups).Select(g => g.Cpes[id])))];

    private static double[] EmulatorOutput(Sw26010Kernel kernel, IReadOnlyList<double[]> inputs)
    {
        var spec = kernel.Operator;
        var output = spec.Expression.Output.Tensor;
        nint[] Lengths(TensorDeclaration t) => [.. t.Shape.Select(l => (nint)l)];
        var tensors = spec.Inputs.ToList();
        if (spec.ElementType == ElementType.Float32)
        {
            var run = kernel.Run(tensors.Select((t, i) => (t, i)).ToDictionary(p => p.t.Name, p => Tensor.Create(inputs[p.i].Select(v => (float)v).ToArray(), Lengths(p.t))));
            var values = new float[output.ElementLength];
            run.Output.FlattenTo(values);
            return [.. values.Select(v => (double)v)];
        }
        else
        {
            var run = kernel.Run(tensors.Select((t, i) => (t, i)).ToDictionary(p => p.t.Name, p => Tensor.Create(inputs[p.i], Lengths(p.t))));
            var values = new double[output.ElementLength];
            run.Output.FlattenTo(values);
            return values;
        }
    }
}
