using System.Globalization;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// The rules a Winograd schedule whose CPEs take row segments of output tiles into mesh GEMM calls must keep (the fused
/// Winograd's and the composite's): the tile, the tiles a segment spans, the segments a CPE takes and the mesh GEMM's N.
/// </summary>
internal static class RowSegmentRules
{
    /// <summary>
    /// Checks the row-segment decisions against <paramref name="conv"/>; the tile 6, F(6 x 6, 3 x 3), only where
    /// <paramref name="allowsSix"/> (the composite's plan, which checks its own rule for it).
    /// </summary>
    /// <exception cref="ScheduleException">A decision breaks a rule; the message names it.</exception>
    public static void Check(Conv2dAttributes conv, int outputTile, int tileColumns, int segments, int outBlock, bool allowsSix = false)
    {
        var ic = CultureInfo.InvariantCulture;
        if (outputTile == 6 && !allowsSix)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradMeshSchedule.OutputTile),
                string.Create(ic, $"OutputTile = 6 must be 2 or 4: F(6 x 6, 3 x 3) is built in the composite Winograd ('winograd-gemm') only, whose products do not keep all 64 positions' blocks in LDM."));
        }

        if (outputTile is not (2 or 4 or 6))
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradMeshSchedule.OutputTile),
                string.Create(ic, $"OutputTile = {outputTile} must be 2 or 4: F(2 x 2, 3 x 3) or F(4 x 4, 3 x 3){(allowsSix ? ", or 6: F(6 x 6, 3 x 3)" : "")}."));
        }

        var rowTiles = (conv.OutWidth + outputTile - 1) / outputTile;
        if (tileColumns < 1 || tileColumns > rowTiles)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradMeshSchedule.TileColumns),
                string.Create(ic, $"TileColumns = {tileColumns} must be from 1 to the {rowTiles} tiles of {outputTile} a row of {conv.OutWidth} output columns holds."));
        }

        if (segments < 1 || (long)segments * (tileColumns + 1) % MeshGemmRules.PerCpeMQuantum != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradMeshSchedule.Segments),
                string.Create(ic, $"Segments = {segments} with TileColumns = {tileColumns}: a CPE's tiles, Segments x (TileColumns + 1), are the mesh GEMM's M / 8 and must be a positive multiple of {MeshGemmRules.PerCpeMQuantum}."));
        }

        if (outBlock < MeshGemmRules.NQuantum || outBlock % MeshGemmRules.NQuantum != 0 || conv.OutChannelsPerGroup % outBlock != 0)
        {
            throw new ScheduleException(ScheduleDiagnostics.IllegalTile, nameof(WinogradMeshSchedule.OutBlock),
                string.Create(ic, $"OutBlock = {outBlock} is the mesh GEMM's N: it must be a positive multiple of {MeshGemmRules.NQuantum} that divides the {conv.OutChannelsPerGroup} output channels of a group."));
        }
    }
}
