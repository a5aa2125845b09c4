using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// A layout step as the C emitter writes it: the step and its optimized loop kernel (the one the emulator
/// runs), renamed after the kernel it serves, so that the CPE function and the parameter struct of every
/// step of every emitted kernel have names of their own (<c>swatop_gemm_pack_A_cpe</c>).
/// </summary>
/// <param name="Step">The step.</param>
/// <param name="Kernel">Its loop kernel, named <c>KERNEL_STEP</c>; its tensors are <see cref="LayoutStepLowering.SourceTensor"/> and <see cref="LayoutStepLowering.DestinationTensor"/>.</param>
/// <param name="Local">The step's own name, a C identifier (<c>pack_A</c>): the host file's name for its parameters.</param>
/// <param name="OnMpe">Whether the step runs on the MPE (<see cref="Sw26010LayoutStep.RunsOnMpe"/>): the host file copies it (<see cref="HostStepPrinter"/>) instead of spawning its kernel.</param>
internal sealed record StepKernel(LayoutStep Step, LoopKernel Kernel, string Local, bool OnMpe)
{
    /// <summary>The name of the step's host copy in the MPE file, when it runs there: e.g. <c>pack_A_mpe</c>.</summary>
    public string HostFunction => $"{Local}_mpe";

    /// <summary>What the step does, for comments: e.g. <c>pack A: A[256][16] =&gt; [1:16, 0:256], ...</c>.</summary>
    public string Description => Step.ToString();

    /// <summary>Whether the step packs an input (else it unpacks the output).</summary>
    public bool Packs => Step.Kind == LayoutStepKind.Pack;

    /// <summary>
    /// The steps of <paramref name="lowered"/> in the order a core group runs them: a pack of each input
    /// the kernel keeps in a layout of its own (in the inputs' order), then the output's unpack when its
    /// layout is not the framework's. <paramref name="steps"/> must hold exactly these, compiled.
    /// </summary>
    /// <exception cref="ArgumentException">A step is missing, does not match its tensor's placement, or is not one of the kernel's.</exception>
    public static ImmutableArray<StepKernel> For(LoweredKernel lowered, IReadOnlyList<Sw26010LayoutStep> steps)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        ArgumentNullException.ThrowIfNull(steps);
        var kernel = lowered.Kernel;
        var placements = lowered.Placements;
        var expected = lowered.Inputs.Where(t => !placements[t.Name].Layout.IsIdentity)
            .Select(t => LayoutStep.Pack(placements[t.Name], kernel.ElementType))
            .ToList();
        if (!placements[lowered.Output.Name].Layout.IsIdentity)
        {
            expected.Add(LayoutStep.Unpack(placements[lowered.Output.Name], kernel.ElementType));
        }

        var result = ImmutableArray.CreateBuilder<StepKernel>(expected.Count);
        foreach (var step in expected)
        {
            var compiled = steps.Where(s => s.Step == step).ToList();
            if (compiled.Count != 1)
            {
                throw new ArgumentException(
                    $"Kernel '{kernel.Name}' needs the layout step '{step}' once; {compiled.Count} of the {steps.Count} steps given are it.", nameof(steps));
            }

            var local = compiled[0].Kernel.Name;
            result.Add(new StepKernel(step, compiled[0].Kernel with { Name = $"{kernel.Name}_{local}" }, local, compiled[0].RunsOnMpe));
        }

        var extra = steps.FirstOrDefault(s => !expected.Contains(s.Step));
        if (extra is not null)
        {
            throw new ArgumentException($"Kernel '{kernel.Name}' has no layout step '{extra.Step}'; a step packs an input or unpacks the output the kernel keeps in a layout of its own.", nameof(steps));
        }

        return result.MoveToImmutable();
    }
}
