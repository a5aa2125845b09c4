namespace Swatop.Core.Ir.Passes;

/// <summary>The options a pass run sees; a target gives its own (the SW26010's come from its spec).</summary>
public sealed record PassContext
{
    /// <summary>LDM bytes the buffers of one CPE may take: the target's planning budget; the rest is left to the stack and the primitives.</summary>
    public required long LdmBudgetBytes { get; init; }

    /// <summary>The alignment of every buffer's byte offset.</summary>
    public int LdmAlignmentBytes { get; init; } = 32;

    /// <summary>
    /// The number of core groups the kernel runs on, so <c>cg</c> ranges over [0, GroupCount - 1]: the
    /// schedule's, which may be fewer than the target's (<see cref="ForCoreGroups"/>).
    /// </summary>
    public required int GroupCount { get; init; }

    /// <summary>Whether tile transfers have been lowered, so that verification rejects any that remain; a pipeline sets it once the boundary pass ran.</summary>
    public bool TilesLowered { get; init; }

    /// <summary>
    /// This context for a kernel that runs on <paramref name="coreGroups"/> of the target's
    /// <see cref="GroupCount"/> core groups: the passes and the verifier then take <c>cg</c> to range over
    /// [0, coreGroups - 1], the groups that run it, rather than over the whole chip.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coreGroups"/> is not between 1 and <see cref="GroupCount"/>.</exception>
    public PassContext ForCoreGroups(int coreGroups)
    {
        if (coreGroups < 1 || coreGroups > GroupCount)
        {
            throw new ArgumentOutOfRangeException(nameof(coreGroups), coreGroups,
                $"coreGroups = {coreGroups} must be between 1 and the target's {GroupCount} core groups.");
        }

        return coreGroups == GroupCount ? this : this with { GroupCount = coreGroups };
    }

    /// <summary>The scope at the top of a kernel: the built-ins with their ranges.</summary>
    public RangeScope KernelScope => RangeScope.ForKernel(GroupCount);
}
