namespace Swatop.Core.Scheduling;

/// <summary>The decisions a schedule makes for one kernel operand.</summary>
/// <param name="Role">Which operand.</param>
/// <param name="Level">
/// The loop whose body starts with the operand's DMA group, named by its variable; <see langword="null"/>
/// before all the loops the algorithm places transfers in (an output's is always null: it is put after them).
/// </param>
/// <param name="DoubleBuffer">
/// Whether its LDM buffer is doubled: an input's next transfer overlaps this one's compute; an output's
/// put is waited for only before the next put.
/// </param>
public sealed record OperandSchedule(OperandRole Role, string? Level = null, bool DoubleBuffer = false)
{
    /// <summary>The decisions as text: <c>A@ci_t+db</c>, <c>B@top</c>, <c>C+db</c>.</summary>
    public override string ToString() => Role == OperandRole.Output
        ? $"C{(DoubleBuffer ? "+db" : "")}"
        : $"{Role}@{Level ?? "top"}{(DoubleBuffer ? "+db" : "")}";
}
