using Microsoft.Extensions.Logging;
using Swatop.Core.Ir.Passes;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// The SW26010 as a Swatop target: its limits (core groups, the LDM planning budget), the pass
/// pipeline, and kernels that run on the managed emulator with exact results and simulated time.
/// </summary>
public sealed class Sw26010Target : ITarget
{
    /// <summary>A target for the real chip's figures.</summary>
    /// <param name="spec">The chip; the real one by default.</param>
    /// <param name="options">How the emulator runs (parallel, sequential); timing-only is chosen per call.</param>
    public Sw26010Target(Sw26010Spec? spec = null, EmulatorOptions? options = null)
    {
        Spec = spec ?? Sw26010Spec.Default;
        Spec.Validate();
        Options = options ?? new EmulatorOptions();
        Limits = new TargetLimits(Spec.CoreGroups, Spec.LdmPlanningBytes);
    }

    /// <summary>The real chip with the default emulator options.</summary>
    public static Sw26010Target Default { get; } = new();

    /// <summary>The chip.</summary>
    public Sw26010Spec Spec { get; }

    /// <summary>The emulator options full runs use.</summary>
    public EmulatorOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "sw26010";

    /// <inheritdoc/>
    public TargetLimits Limits { get; }

    /// <summary>The pass context this target optimizes with.</summary>
    public PassContext PassContext => new() { LdmBudgetBytes = Spec.LdmPlanningBytes, GroupCount = Spec.CoreGroups };

    /// <inheritdoc/>
    public ICompiledKernel Compile(LoweredKernel lowered, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        var optimized = PassPipeline.Default.Run(lowered.Kernel, PassContext, logger).Kernel;
        var result = lowered.WithKernel(optimized);
        return new Sw26010Kernel(this, result, CompiledKernel.Compile(optimized));
    }
}
