using Swatop.Core.Ir;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// One GEMM axis cut in tiles: the size of the GEMM call for the current tile (the tile, or the
/// border tile's valid extent padded to the primitive's quantum, unless border tiles run whole), its
/// valid extent, and a CPE's share.
/// </summary>
internal sealed class GemmExtent
{
    private readonly long _extent;
    private readonly long _tiles;
    private readonly Var _tileVar;

    public GemmExtent(Axis axis, int tile, int quantum, bool wholeTiles)
    {
        _extent = axis.Extent;
        _tiles = (axis.Extent + tile - 1) / tile;
        var tileVar = new Var($"{axis.Name}_t");
        _tileVar = tileVar;
        TileOrigin = _tiles == 1 ? 0 : tileVar * tile;
        if (_extent % tile == 0)
        {
            Call = tile;
            Valid = tile;
        }
        else if (_tiles == 1 || wholeTiles)
        {
            Call = tile;
            Valid = _tiles == 1 ? _extent : Expr.Min(tile, _extent - (tileVar * tile));
        }
        else
        {
            var remaining = _extent - (tileVar * tile);
            Call = Expr.Min(tile, (remaining + (quantum - 1)) / quantum * quantum);
            Valid = Expr.Min(tile, remaining);
        }

        PerCpe = Call / MeshGemmRules.MeshSize;
    }

    /// <summary>The whole-mesh size of the current tile's GEMM call.</summary>
    public Expr Call { get; }

    /// <summary>How much of the current tile lies inside the axis.</summary>
    public Expr Valid { get; }

    /// <summary>A CPE's share of <see cref="Call"/>: the rows or columns of its block.</summary>
    public Expr PerCpe { get; }

    /// <summary>The axis position of the current tile's first element.</summary>
    public Expr TileOrigin { get; }

    /// <summary>The axis position of the first element of the block of the CPE at <paramref name="meshIndex"/> (its row or column).</summary>
    public Expr Origin(Var meshIndex) => TileOrigin + (meshIndex * PerCpe);

    /// <summary>
    /// Which CPE block of the axis the CPE at <paramref name="meshIndex"/> holds, counted from the axis's
    /// start in blocks of a whole tile's share: its blocked layout's block. Only for whole tiles.
    /// </summary>
    public Expr BlockIndex(Var meshIndex) => _tiles == 1 ? meshIndex : (_tileVar * MeshGemmRules.MeshSize) + meshIndex;

    /// <summary>Valid rows (or columns) of the block of the CPE at <paramref name="meshIndex"/>.</summary>
    public Expr ValidRows(Var meshIndex) =>
        Valid.AsConstant is { } valid && Call.AsConstant is { } call && valid == call
            ? PerCpe
            : Expr.Clamp(Valid - (meshIndex * PerCpe), 0, PerCpe);
}
