using System.Collections.Immutable;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// The transforms of Winograd's minimal filtering F(m x m, 3 x 3) (Lavin and Gray, 2016): an output tile of
/// m x m is <c>Y = A^T [(G g G^T) (.) (B^T d B)] A</c>, where <c>g</c> is a 3 x 3 filter, <c>d</c> the
/// (m + 2) x (m + 2) input tile the output tile's windows read, and <c>(.)</c> the element-wise product. The
/// matrices are stored row-major: <see cref="BT"/> is alpha x alpha, <see cref="G"/> alpha x 3 and <see cref="AT"/>
/// m x alpha, alpha = m + 2. Each is the Toom-Cook construction on m + 1 finite interpolation points and infinity
/// (F(2 x 2): 0, 1, -1; F(4 x 4): 0, 1, -1, 2, -2; F(6 x 6): 0, 1, -1, 2, -2, 1/2, -1/2): A^T's column of point a is
/// the powers 1, a, ..., a^(m-1), G's row of point a is 1, a, a^2 over the product of a's differences from the other
/// finite points, and B^T is the one matrix for which <c>sum_j A^T[i][j] G[j][k] B^T[j][l]</c> is 1 where l = i + k
/// and 0 elsewhere (the first row of G and B^T of F(6 x 6) negated, as F(2 x 2)'s, so that G's first entry is 1). The
/// entries of B and A are dyadic (integers, halves, quarters, down to 1/32 for F(6 x 6)), exact in any precision;
/// those of G for F(4 x 4) (1/6, 1/12, 1/24) and F(6 x 6) (2/9, 1/90, 1/45, 2/45, 8/45, 16/45, 32/45) are rounded to the
/// element type.
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

    /// <summary>
    /// F(6 x 6, 3 x 3): 64 products for 36 outputs, against 324 directly; its transforms' larger entries (B^T's 21/4,
    /// A^T's 32) make its rounding bound grow (<c>docs/winograd.md</c>, "Rounding").
    /// </summary>
    public static WinogradTransforms F6 { get; } = new(6,
        [1, 0, -21.0 / 4, 0, 21.0 / 4, 0, -1, 0,
         0, 1, 1, -17.0 / 4, -17.0 / 4, 1, 1, 0,
         0, -1, 1, 17.0 / 4, -17.0 / 4, -1, 1, 0,
         0, 1.0 / 2, 1.0 / 4, -5.0 / 2, -5.0 / 4, 2, 1, 0,
         0, -1.0 / 2, 1.0 / 4, 5.0 / 2, -5.0 / 4, -2, 1, 0,
         0, 2, 4, -5.0 / 2, -5, 1.0 / 2, 1, 0,
         0, -2, 4, 5.0 / 2, -5, -1.0 / 2, 1, 0,
         0, -1, 0, 21.0 / 4, 0, -21.0 / 4, 0, 1],
        [1, 0, 0,
         -2.0 / 9, -2.0 / 9, -2.0 / 9,
         -2.0 / 9, 2.0 / 9, -2.0 / 9,
         1.0 / 90, 1.0 / 45, 2.0 / 45,
         1.0 / 90, -1.0 / 45, 2.0 / 45,
         32.0 / 45, 16.0 / 45, 8.0 / 45,
         32.0 / 45, -16.0 / 45, 8.0 / 45,
         0, 0, 1],
        [1, 1, 1, 1, 1, 1, 1, 0,
         0, 1, -1, 2, -2, 1.0 / 2, -1.0 / 2, 0,
         0, 1, 1, 4, 4, 1.0 / 4, 1.0 / 4, 0,
         0, 1, -1, 8, -8, 1.0 / 8, -1.0 / 8, 0,
         0, 1, 1, 16, 16, 1.0 / 16, 1.0 / 16, 0,
         0, 1, -1, 32, -32, 1.0 / 32, -1.0 / 32, 1]);

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

    /// <summary>The transforms of output tile <paramref name="outputTile"/>: 2, 4 or 6.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is none of them.</exception>
    public static WinogradTransforms For(int outputTile) => outputTile switch
    {
        2 => F2,
        4 => F4,
        6 => F6,
        _ => throw new ArgumentOutOfRangeException(nameof(outputTile), outputTile, "The output tile of F(m x m, 3 x 3) must be 2, 4 or 6."),
    };

    /// <summary>Whether G has entries no binary floating-point type holds exactly (F(4 x 4)'s and F(6 x 6)'s), each rounded to the element type.</summary>
    public bool InexactG => OutputTile != 2;

    /// <summary>
    /// Roundings on the longest path from a product <c>g * d</c> to an output when the kernel sums
    /// <paramref name="inChannels"/> input channels: each stage of a transform rounds once a term it sums (3 taps
    /// for each of G's two stages, alpha for each of B's and A's two) and the element-wise products summed over
    /// the input channels once a channel; each of the two G coefficients on a path adds one when G is inexact
    /// (<see cref="InexactG"/>). B^T's and A^T's entries are dyadic and add none. So 22 + Ci for F(2 x 2), 32 + Ci for
    /// F(4 x 4) and 40 + Ci for F(6 x 6).
    /// </summary>
    public int Roundings(int inChannels) => (2 * 3) + (InexactG ? 2 : 0) + (4 * Alpha) + inChannels;
}
