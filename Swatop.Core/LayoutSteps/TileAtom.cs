namespace Swatop.Core.LayoutSteps;

/// <summary>
/// Part of a whole-block tile's positions along one framework dimension between two block boundaries (of either
/// layout): <see cref="Extent"/> positions, each <see cref="SourceStride"/> elements apart in the source and
/// <see cref="DestinationStride"/> in the destination, and <see cref="SourcePlace"/> and <see cref="DestinationPlace"/>
/// apart in the tile's compact image of each layout in LDM (see <see cref="BlockTile"/>).
/// </summary>
/// <param name="Dimension">The framework dimension.</param>
/// <param name="Extent">Positions of the atom.</param>
/// <param name="SourceStride">Elements between two of its positions in the source.</param>
/// <param name="DestinationStride">Elements between two of its positions in the destination.</param>
/// <param name="SourcePlace">Elements between two of its positions in the source's image in LDM.</param>
/// <param name="DestinationPlace">Elements between two of its positions in the destination's image in LDM.</param>
public sealed record TileAtom(int Dimension, long Extent, long SourceStride, long DestinationStride, long SourcePlace = 0, long DestinationPlace = 0);
