namespace Swatop.Core.Algorithms.WinogradMesh;

/// <summary>
/// How a Winograd plan whose CPEs take row segments of output tiles cuts a core group's images (the fused Winograd's and the
/// composite's): the tile, the segments along a row and down the tile rows, and the input columns a segment reads.
/// </summary>
internal interface IRowSegmentGeometry
{
    /// <summary>The convolution.</summary>
    Conv2dAttributes Conv { get; }

    /// <summary>The output tile's side, m.</summary>
    int M { get; }

    /// <summary>The input tile's side, alpha = m + 2.</summary>
    int Alpha { get; }

    /// <summary>Output tiles a segment spans along a row.</summary>
    int TileColumns { get; }

    /// <summary>Segments a CPE's mesh row takes a chunk.</summary>
    int SegmentsPerMeshRow { get; }

    /// <summary>Output tile rows of an image.</summary>
    int TileRows { get; }

    /// <summary>Segments along a tile row.</summary>
    int ColumnSegments { get; }

    /// <summary>Segments of an image.</summary>
    long SegmentsPerImage { get; }

    /// <summary>Segments of a chunk, over the mesh's rows.</summary>
    int ChunkSegments { get; }

    /// <summary>Input columns a segment's slot holds.</summary>
    int RowStride { get; }

    /// <summary>Input columns a segment reads at most.</summary>
    int InputColumns { get; }
}
