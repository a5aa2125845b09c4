using Microsoft.Extensions.Logging;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core;

/// <summary>An operator with a schedule chosen: ready to lower and compile for a target.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Schedule">The schedule.</param>
public sealed record ScheduledOperator(OperatorSpec Operator, Schedule Schedule)
{
    /// <summary>Lowers the operator to a loop kernel for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="ScheduleException">The schedule does not fit the operator or target.</exception>
    public LoweredKernel Lower(TargetLimits limits) => KernelLowering.Lower(Operator, Schedule, limits);

    /// <summary>Lowers, optimizes and compiles the operator for <paramref name="target"/>.</summary>
    /// <exception cref="ScheduleException">The schedule does not fit the operator or target.</exception>
    public ICompiledKernel Emit(ITarget target, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Compile(Lower(target.Limits), logger);
    }
}
