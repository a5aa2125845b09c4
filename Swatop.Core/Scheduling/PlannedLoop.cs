namespace Swatop.Core.Scheduling;

/// <summary>What a loop of a scheduled nest walks.</summary>
public enum LoopRole
{
    /// <summary>An operator axis that is not mapped onto the GEMM.</summary>
    Axis,

    /// <summary>The tiles of the GEMM's M, N or K axis.</summary>
    Tile,

    /// <summary>The bands of <see cref="Algorithms.ImplicitGemm.ImplicitGemmSchedule.Window"/> output tiles along the window axis.</summary>
    Band,

    /// <summary>The input columns a band reads, in the window's reduction unit.</summary>
    InputColumn,

    /// <summary>The window's tap axis, inside <see cref="InputColumn"/>.</summary>
    Tap,
}

/// <summary>One loop of a scheduled nest.</summary>
/// <param name="Var">The loop variable's name.</param>
/// <param name="Axis">The operator axis it belongs to.</param>
/// <param name="Role">What it walks.</param>
/// <param name="Extent">Its trip count (the largest, for loops whose count varies).</param>
/// <param name="Step">Axis positions one iteration advances (the tile size, the window size, or 1).</param>
public sealed record PlannedLoop(string Var, string Axis, LoopRole Role, long Extent, long Step);
