using System.Collections.Immutable;
using Swatop.Core.Ir;

namespace Swatop.Core.Algorithms.Winograd;

/// <summary>
/// The statements that fill a Winograd kernel's coefficient buffer once, as both Winograd lowerings start:
/// zero over the whole buffer, then each non-zero entry of B^T, G and A^T at its offset
/// (<see cref="WinogradTransforms.OffsetBT"/>, <see cref="WinogradTransforms.OffsetG"/>, <see cref="WinogradTransforms.OffsetAT"/>).
/// </summary>
internal static class WinogradCoefficients
{
    /// <summary>Fills LDM buffer <paramref name="buffer"/> of <paramref name="elements"/> elements with <paramref name="transforms"/>' coefficients.</summary>
    public static Stmt Fill(WinogradTransforms transforms, string buffer, long elements)
    {
        var fills = new List<Stmt> { new Fill(new LdmRef(buffer, 0, elements), 0.0) };
        void Add(int offset, ImmutableArray<double> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] != 0)
                {
                    fills.Add(new Fill(new LdmRef(buffer, offset + i, 1), values[i]));
                }
            }
        }

        Add(WinogradTransforms.OffsetBT, transforms.BT);
        Add(transforms.OffsetG, transforms.G);
        Add(transforms.OffsetAT, transforms.AT);
        return Block.Of(fills);
    }
}
