namespace Swatop.Core.Scheduling;

/// <summary>
/// What the scheduler must know of a target without knowing the hardware: how many core groups
/// share the work, how much LDM a kernel may plan with, and how much main memory each group has.
/// </summary>
/// <param name="CoreGroups">Core groups available, at least 1.</param>
/// <param name="LdmBudgetBytes">LDM bytes per CPE a kernel's buffers may take.</param>
/// <param name="LdmAlignmentBytes">Alignment of every LDM buffer.</param>
/// <remarks>A target gives its own (<see cref="Targets.ITarget.Limits"/>); the SW26010's come from its spec.</remarks>
public sealed record TargetLimits(int CoreGroups, long LdmBudgetBytes, int LdmAlignmentBytes = 32)
{
    /// <summary>
    /// Bytes of main memory each core group has (<see cref="long.MaxValue"/>, the default: no limit). A kernel keeps
    /// each tensor it packs into a layout of its own in every group's memory; the framework's tensors lie in the
    /// shared memory, <see cref="CoreGroups"/> times this. The space leaves out the schedules that would not fit
    /// (<see cref="MainMemoryFootprint"/>).
    /// </summary>
    public long MainMemoryBytes { get; init; } = long.MaxValue;

    /// <summary>The alignment of every main-memory buffer: each takes its bytes rounded up to a multiple of it (1 by default).</summary>
    public int MainMemoryAlignmentBytes { get; init; } = 1;

    /// <summary>
    /// Where a single operator's caller keeps its activations (<see cref="Scheduling.CallerMemory.Shared"/> by default):
    /// a call's layout steps start and end there (<see cref="Layouts.CallerHoldings"/>), and under
    /// <see cref="Scheduling.CallerMemory.CoreGroups"/> the spaces also offer the kernels that read and write such shares in place.
    /// </summary>
    public CallerMemory CallerMemory { get; init; } = CallerMemory.Shared;
}
