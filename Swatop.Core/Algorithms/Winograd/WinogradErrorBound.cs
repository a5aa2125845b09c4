using Swatop.Primitives;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// The rounding error bound of a Winograd convolution, element by element (<c>docs/winograd.md</c>). Each
/// computed output is the exact sum, over the input channels and the tile's (tap, input) pairs, of
/// <c>AT[r][a] G[a][kh] g[kh][kw] G[b][kw] BT[a][i] d[i][j] BT[b][j] AT[q][b]</c>, each term multiplied by a
/// factor <c>1 + theta</c> with <c>|theta| &lt;= gamma(n)</c>, where n is the number of roundings on the
/// term's path (<see cref="WinogradTransforms.Roundings"/>) and <c>gamma(n) = n u / (1 - n u)</c>. So
/// <c>|computed - exact| &lt;= gamma(n) * sum over ci of |A^T| ((|G| |g| |G|^T) (.) (|B^T| |d| |B|)) |A|</c>.
/// Unlike the direct convolution's bound, the sum runs over every (tap, input) pair of the tile, not only those
/// a window pairs, and the transforms' entries (up to 8 and 5 for F(4 x 4, 3 x 3)) weigh in: this is why the
/// error grows with the tile.
/// </summary>
public static class WinogradErrorBound
{
    /// <summary><c>gamma(n) = n u / (1 - n u)</c> with u the unit roundoff of <paramref name="type"/> (2^-24 or 2^-53).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="roundings"/> is negative, or so large that n u reaches 1.</exception>
    public static double Gamma(int roundings, ElementType type)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(roundings);
        var u = type == ElementType.Float32 ? Math.Pow(2, -24) : Math.Pow(2, -53);
        var nu = roundings * u;
        return nu < 1 ? nu / (1 - nu) : throw new ArgumentOutOfRangeException(nameof(roundings), roundings, "n u must stay below 1 for the bound to hold.");
    }

    /// <summary>
    /// The bound on each output element of <paramref name="conv"/> computed with F(<paramref name="outputTile"/> x
    /// <paramref name="outputTile"/>, 3 x 3) in <paramref name="type"/>, on the NCHW <paramref name="input"/> and the
    /// <paramref name="weights"/> (output channels x input channels of a group x 3 x 3), row-major like the output.
    /// </summary>
    /// <exception cref="ArgumentException">The convolution is not one Winograd's algorithm computes, or an array's length is not its tensor's.</exception>
    public static double[] Bound(Conv2dAttributes conv, int outputTile, ElementType type, ReadOnlySpan<double> input, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(conv);
        if (conv.Kernel.Height != 3 || conv.Kernel.Width != 3 || conv.Stride.Height != 1 || conv.Stride.Width != 1 || conv.Dilation.Height != 1 || conv.Dilation.Width != 1 || conv.Layout != ConvLayout.Nchw)
        {
            throw new ArgumentException($"conv = {conv}: the bound is of 3 x 3 NCHW convolutions of stride 1 and dilation 1.", nameof(conv));
        }

        var t = WinogradTransforms.For(outputTile);
        int m = t.OutputTile, alpha = t.Alpha, p = t.Positions, cig = conv.InChannelsPerGroup, cog = conv.OutChannelsPerGroup;
        int h = conv.Height, w = conv.Width, oh = conv.OutHeight, ow = conv.OutWidth;
        int rows = (oh + m - 1) / m, cols = (ow + m - 1) / m;
        if (input.Length != (long)conv.Batch * conv.InChannels * h * w || weights.Length != (long)conv.OutChannels * cig * 9)
        {
            throw new ArgumentException($"input.Length = {input.Length} and weights.Length = {weights.Length} must be {(long)conv.Batch * conv.InChannels * h * w} and {(long)conv.OutChannels * cig * 9}.", nameof(input));
        }

        // |U| = |G| |g| |G|^T for each filter.
        var u = new double[(long)conv.OutChannels * cig * p];
        for (long f = 0; f < (long)conv.OutChannels * cig; f++)
        {
            for (var a = 0; a < alpha; a++)
            {
                for (var b = 0; b < alpha; b++)
                {
                    var sum = 0.0;
                    for (var kh = 0; kh < 3; kh++)
                    {
                        for (var kw = 0; kw < 3; kw++)
                        {
                            sum += Math.Abs(t.G[(a * 3) + kh]) * Math.Abs(weights[(int)((f * 9) + (kh * 3) + kw)]) * Math.Abs(t.G[(b * 3) + kw]);
                        }
                    }

                    u[(f * p) + (a * alpha) + b] = sum;
                }
            }
        }

        var gamma = Gamma(t.Roundings(cig), type);
        var bound = new double[(long)conv.Batch * conv.OutChannels * oh * ow];
        var v = new double[(long)cig * p];
        var acc = new double[p];
        for (var n = 0; n < conv.Batch; n++)
        {
            for (var g = 0; g < conv.Groups; g++)
            {
                for (var ty = 0; ty < rows; ty++)
                {
                    for (var tx = 0; tx < cols; tx++)
                    {
                        // |V| = |B^T| |d| |B| for each input channel of the group.
                        for (var ci = 0; ci < cig; ci++)
                        {
                            var plane = (((long)n * conv.InChannels) + (g * cig) + ci) * h * w;
                            for (var a = 0; a < alpha; a++)
                            {
                                for (var b = 0; b < alpha; b++)
                                {
                                    var sum = 0.0;
                                    for (var i = 0; i < alpha; i++)
                                    {
                                        var y = (ty * m) + i - conv.Padding.Top;
                                        for (var j = 0; j < alpha; j++)
                                        {
                                            var x = (tx * m) + j - conv.Padding.Left;
                                            if (y >= 0 && y < h && x >= 0 && x < w)
                                            {
                                                sum += Math.Abs(t.BT[(a * alpha) + i]) * Math.Abs(input[(int)(plane + ((long)y * w) + x)]) * Math.Abs(t.BT[(b * alpha) + j]);
                                            }
                                        }
                                    }

                                    v[(ci * p) + (a * alpha) + b] = sum;
                                }
                            }
                        }

                        for (var o = 0; o < cog; o++)
                        {
                            var co = (g * cog) + o;
                            Array.Clear(acc);
                            for (var ci = 0; ci < cig; ci++)
                            {
                                var filter = (((long)co * cig) + ci) * p;
                                for (var k = 0; k < p; k++)
                                {
                                    acc[k] += u[filter + k] * v[(ci * p) + k];
                                }
                            }

                            for (var r = 0; r < m && (ty * m) + r < oh; r++)
                            {
                                for (var q = 0; q < m && (tx * m) + q < ow; q++)
                                {
                                    var sum = 0.0;
                                    for (var a = 0; a < alpha; a++)
                                    {
                                        for (var b = 0; b < alpha; b++)
                                        {
                                            sum += Math.Abs(t.AT[(r * alpha) + a]) * acc[(a * alpha) + b] * Math.Abs(t.AT[(q * alpha) + b]);
                                        }
                                    }

                                    bound[((((long)n * conv.OutChannels) + co) * oh * ow) + ((((long)ty * m) + r) * ow) + (tx * m) + q] = gamma * sum;
                                }
                            }
                        }
                    }
                }
            }
        }

        return bound;
    }
}
