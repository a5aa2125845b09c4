using Swatop.Core.Ir;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// A loop of a compiled kernel whose every statement computes in LDM (fills, element-wise operations,
/// exponentials, transposes, multiply-accumulates, and the loops, lets and conditionals around them): no DMA, no wait,
/// no mesh GEMM, no swap of a double buffer's halves. Such a loop touches nothing another CPE or the memory
/// controller sees, and in a timing-only run (no data, no race checks) all it does is charge its CPE's clock
/// and add to its tallies, as a function of the variables it reads from outside (<see cref="FreeSlots"/>),
/// the turn bits of the double buffers it names (<see cref="TurnBuffers"/>) and the LDM addresses of its
/// buffers. <see cref="ComputeRegionMemo"/> keeps what one run of it did under those values, so a later run
/// with the same values replays it instead of running it.
/// </summary>
/// <param name="Index">The region's index among its kernel's regions.</param>
/// <param name="FreeSlots">The slots of the variables the loop reads and does not bind itself, built-ins included.</param>
/// <param name="TurnBuffers">The double buffers whose halves the loop names, by declaration index.</param>
internal sealed record ComputeRegion(int Index, int[] FreeSlots, int[] TurnBuffers)
{
    /// <summary>Whether <paramref name="loop"/> computes in LDM only, so that it can be a region.</summary>
    public static bool Qualifies(ForLoop loop) => StatementFacts.Leaves(loop).All(leaf => leaf is Fill or Elementwise or Exponential or Transpose or MultiplyAccumulate);

    /// <summary>The values the loop's run depends on, on <paramref name="frame"/>'s CPE now, into <paramref name="key"/>.</summary>
    public void Key(ExecutionFrame frame, long[] key)
    {
        var slots = frame.Slots;
        var i = 0;
        foreach (var slot in FreeSlots)
        {
            key[i++] = slots[slot];
        }

        foreach (var buffer in TurnBuffers)
        {
            key[i++] = frame.Turns[buffer];
        }
    }

    /// <summary>How many values <see cref="Key"/> writes.</summary>
    public int KeyLength => FreeSlots.Length + TurnBuffers.Length;
}
