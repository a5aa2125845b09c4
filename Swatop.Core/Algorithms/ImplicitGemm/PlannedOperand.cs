using System.Collections.Immutable;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// One operand of an implicit GEMM kernel as its plan has it: what it is, how the operator reads it,
/// which GEMM axes are its rows and columns, its LDM buffer and reply word, where its DMA group sits and
/// whether it is double-buffered, whether its layout is blocked, and how many of a CPE's blocks its
/// buffer holds.
/// </summary>
/// <param name="Role">The operand's role: the GEMM's A or B input, or the output.</param>
/// <param name="Access">How the operator reads (or writes) it.</param>
/// <param name="Rows">The GEMM axis of its rows: M for A and the output, K for B.</param>
/// <param name="Columns">The GEMM axis of its columns: K for A, N for B and the output.</param>
/// <param name="Buffer">Its LDM buffer's name.</param>
/// <param name="Reply">The reply word its transfers count on.</param>
/// <param name="Level">The reduction loop whose body starts with its DMA group; <see langword="null"/> before them all (and for the output).</param>
/// <param name="DoubleBuffer">Whether its buffer is doubled.</param>
/// <param name="Blocked">Whether the host keeps it in a blocked layout: each CPE's block of a tile one contiguous run.</param>
/// <param name="Covered">The loops inside its level that it depends on: its buffer holds one block per combination (for the output, none).</param>
/// <param name="BlockElements">Elements of one CPE's block of a full tile.</param>
/// <param name="Slots">Blocks its buffer holds: one per combination of <paramref name="Covered"/>'s loops, or the window's output tiles for the output.</param>
public sealed record PlannedOperand(
    OperandRole Role,
    TensorAccess Access,
    Axis Rows,
    Axis Columns,
    string Buffer,
    string Reply,
    string? Level,
    bool DoubleBuffer,
    bool Blocked,
    ImmutableArray<PlannedLoop> Covered,
    long BlockElements,
    long Slots)
{
    /// <summary>Whether the operand is the operator's epilogue's (a bias, a residual), gotten after the last multiply-add.</summary>
    public bool IsEpilogue => Role is OperandRole.Bias or OperandRole.Residual;

    /// <summary>Whether the operand is read (gotten into LDM) rather than written.</summary>
    public bool IsInput => Role != OperandRole.Output;

    /// <summary>Elements of its LDM buffer (one copy).</summary>
    public long BufferElements => BlockElements * Slots;

    /// <summary>Copies of its buffer: 2 when double-buffered.</summary>
    public int Copies => DoubleBuffer ? 2 : 1;

    /// <summary>Whether its block's rows or columns walk <paramref name="axis"/>.</summary>
    public bool Spans(Axis axis) => axis == Rows || axis == Columns;
}
