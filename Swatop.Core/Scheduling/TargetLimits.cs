namespace Swatop.Core.Scheduling;

/// <summary>
/// What the scheduler must know of a target without knowing the hardware: how many core groups
/// share the work and how much LDM a kernel may plan with.
/// </summary>
/// <param name="CoreGroups">Core groups available, at least 1.</param>
/// <param name="LdmBudgetBytes">LDM bytes per CPE a kernel's buffers may take.</param>
/// <param name="LdmAlignmentBytes">Alignment of every LDM buffer.</param>
public sealed record TargetLimits(int CoreGroups, long LdmBudgetBytes, int LdmAlignmentBytes = 32)
{
    /// <summary>The SW26010's figures: 4 core groups and swDNN's 55 KB LDM planning budget.</summary>
    public static TargetLimits Sw26010 { get; } = new(4, 55 * 1024);
}
