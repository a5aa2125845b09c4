using System.Collections.Immutable;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// The transforms of Winograd's minimal filtering F(m x m, 3 x 3) (Lavin and Gray, 2016): an output tile of
/// m x m is <c>Y = A^T [(G g G^T) (.) (B^T d B)] A</c>, where <c>g</c> is a 3 x 3 filter, <c>d</c> the
/// (m + 2) x (m + 2) input tile the output tile's windows read, and <c>(.)</c> the element-wise product. The
/// matrices are stored row-major: <see cref="BT"/> is alpha x alpha, <see cref="G"/> alpha x 3 and <see cref="AT"/>
/// m x alpha, alpha = m + 2. The entries of B and A are integers (exact in any precision); those of G for
/// F(4 x 4, 3 x 3) (1/6, 1/12, 1/24) are rounded to the element type.
/// </summary>
public sealed record WinogradTransforms
{
    private WinogradTransforms(int m, ImmutableArray<double> bt, ImmutableArray<double> g, ImmutableArray<double> at)
    {
        OutputTile = m;
        BT = bt;
        G = g;
        AT = at;
    }

    /// <summary>F(2 x 2, 3 x 3): 16 products for 4 outputs, against 36 directly.</summary>
    public static WinogradTransforms F2 { get; } = new(2,
        [1, 0, -1, 0,
         0, 1, 1, 0,
         0, -1, 1, 0,
         0, 1, 0, -1],
        [1, 0, 0,
         0.5, 0.5, 0.5,
         0.5, -0.5, 0.5,
         0, 0, 1],
        [1, 1, 1, 0,
         0, 1, -1, -1]);

    /// <summary>F(4 x 4, 3 x 3): 36 products for 16 outputs, against 144 directly.</summary>
    public static WinogradTransforms F4 { get; } = new(4,
        [4, 0, -5, 0, 1, 0,
         0, -4, -4, 1, 1, 0,
         0, 4, -4, -1, 1, 0,
         0, -2, -1, 2, 1, 0,
         0, 2, -1, -2, 1, 0,
         0, 4, 0, -5, 0, 1],
        [1.0 / 4, 0, 0,
         -1.0 / 6, -1.0 / 6, -1.0 / 6,
         -1.0 / 6, 1.0 / 6, -1.0 / 6,
         1.0 / 24, 1.0 / 12, 1.0 / 6,
         1.0 / 24, -1.0 / 12, 1.0 / 6,
         0, 0, 1],
        [1, 1, 1, 1, 1, 0,
         0, 1, -1, 2, -2, 0,
         0, 1, 1, 4, 4, 0,
         0, 1, -1, 8, -8, 1]);

    /// <summary>The output tile's side m.</summary>
    public int OutputTile { get; }

    /// <summary>The input tile's side, m + 2: the transformed tiles are alpha x alpha.</summary>
    public int Alpha => OutputTile + 2;

    /// <summary>The element-wise products of a tile and channel pair: alpha squared.</summary>
    public int Positions => Alpha * Alpha;

    /// <summary>B^T, alpha x alpha, row-major.</summary>
    public ImmutableArray<double> BT { get; }

    /// <summary>G, alpha x 3, row-major.</summary>
    public ImmutableArray<double> G { get; }

    /// <summary>A^T, m x alpha, row-major.</summary>
    public ImmutableArray<double> AT { get; }

    /// <summary>Offset of B^T among the coefficients as a kernel keeps them in one buffer: B^T, G, then A^T, each row-major.</summary>
    public const int OffsetBT = 0;

    /// <summary>Offset of G among the coefficients: after B^T's alpha x alpha.</summary>
    public int OffsetG => Positions;

    /// <summary>Offset of A^T among the coefficients: after G's alpha x 3.</summary>
    public int OffsetAT => OffsetG + (Alpha * 3);

    /// <summary>Elements of the three matrices together.</summary>
    public int CoefficientCount => OffsetAT + (OutputTile * Alpha);

    /// <summary>The transforms of output tile <paramref name="outputTile"/>: 2 or 4.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is neither.</exception>
    public static WinogradTransforms For(int outputTile) => outputTile switch
    {
        2 => F2,
        4 => F4,
        _ => throw new ArgumentOutOfRangeException(nameof(outputTile), outputTile, "The output tile of F(m x m, 3 x 3) must be 2 or 4."),
    };

    /// <summary>
    /// Roundings on the longest path from a product <c>g * d</c> to an output when the kernel sums
    /// <paramref name="inChannels"/> input channels: each stage of a transform rounds once a term it sums (3 taps
    /// for each of G's two stages, alpha for each of B's and A's two) and the element-wise products summed over
    /// the input channels once a channel; each of the two G coefficients on a path adds one when G is inexact.
    /// </summary>
    public int Roundings(int inChannels) => (2 * 3) + (OutputTile == 4 ? 2 : 0) + (4 * Alpha) + inChannels;
}
