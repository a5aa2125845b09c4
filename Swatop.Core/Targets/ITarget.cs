using Microsoft.Extensions.Logging;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Targets;

/// <summary>
/// A machine Swatop compiles for: its limits for the scheduler, and the step that turns an
/// optimized kernel into something that runs. Everything hardware-specific lives behind it.
/// </summary>
public interface ITarget
{
    /// <summary>The target's name, e.g. <c>sw26010</c>.</summary>
    string Name { get; }

    /// <summary>
    /// A stable text that identifies the machine as far as timing goes: equal for two targets whose
    /// kernels take the same time, different when any figure that affects a kernel's time differs.
    /// Deterministic across runs, processes and hosts (no hash codes of the runtime, no culture).
    /// Tuning records are keyed by it, next to <see cref="OperatorSpec.Signature"/>.
    /// </summary>
    string Signature { get; }

    /// <summary>What the scheduler must respect.</summary>
    TargetLimits Limits { get; }

    /// <summary>
    /// The analytic model that ranks schedules for this target without running them, which the
    /// default, model-guided tuning needs; null while the target has none.
    /// </summary>
    Tuning.ICostModel? CostModel { get; }

    /// <summary>Optimizes a lowered kernel with the target's pass pipeline and makes it runnable.</summary>
    /// <exception cref="InvalidOperationException">A pass rejects the kernel (the LDM plan does not fit, verification fails).</exception>
    ICompiledKernel Compile(LoweredKernel lowered, ILogger? logger = null);
}
