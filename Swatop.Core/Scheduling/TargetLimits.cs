namespace Swatop.Core.Scheduling;

/// <summary>
/// What the scheduler must know of a target without knowing the hardware: how many core groups
/// share the work and how much LDM a kernel may plan with.
/// </summary>
/// <param name="CoreGroups">Core groups available, at least 1.</param>
/// <param name="LdmBudgetBytes">LDM bytes per CPE a kernel's buffers may take.</param>
/// <param name="LdmAlignmentBytes">Alignment of every LDM buffer.</param>
/// <remarks>A target gives its own (<see cref="Targets.ITarget.Limits"/>); the SW26010's come from its spec.</remarks>
public sealed record TargetLimits(int CoreGroups, long LdmBudgetBytes, int LdmAlignmentBytes = 32);
