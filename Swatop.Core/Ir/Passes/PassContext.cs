namespace Swatop.Core.Ir.Passes;

/// <summary>The options a pass run sees.</summary>
public sealed record PassContext
{
    /// <summary>The default options: a 55 KB LDM budget, 32-byte alignment, 4 core groups.</summary>
    public static PassContext Default { get; } = new();

    /// <summary>LDM bytes the buffers of one CPE may take; the rest is left to the stack and the primitives (55 KB by default).</summary>
    public long LdmBudgetBytes { get; init; } = 56_320;

    /// <summary>The alignment of every buffer's byte offset.</summary>
    public int LdmAlignmentBytes { get; init; } = 32;

    /// <summary>The number of core groups, so <c>cg</c> ranges over [0, GroupCount - 1].</summary>
    public int GroupCount { get; init; } = 4;

    /// <summary>Whether tile transfers have been lowered, so that verification rejects any that remain; a pipeline sets it once the boundary pass ran.</summary>
    public bool TilesLowered { get; init; }

    /// <summary>The scope at the top of a kernel: the built-ins with their ranges.</summary>
    public RangeScope KernelScope => RangeScope.ForKernel(GroupCount);
}
