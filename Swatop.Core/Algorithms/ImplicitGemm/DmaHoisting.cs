using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Where the hoist pass (<see cref="Ir.Passes.HoistDmaPass"/>) leaves the inputs' DMA groups of a plan,
/// foreseen from the plan alone so that cost models and the space need not lower it: the position in
/// <see cref="LoopNest.Loops"/> of the innermost loop around each group, or -1 outside every loop. From
/// the innermost loop outwards, each group leading a loop's body leaves it when it does not depend on
/// it, whether or not a group ahead of it stays (a loop of one iteration counts for nothing, but for the
/// split loop). A group placed in a reduction loop lands, on leaving the outermost one, after the output
/// fill and climbs no further; a group placed before the reduction loops (level null) leads the innermost
/// index loop's body, in the order of the inputs. The pass decides on the IR; the cost model's tests, whose DMA
/// bytes (counted where this rule leaves the groups) equal the emulator's after the pass, check that both agree.
/// </summary>
internal static class DmaHoisting
{
    /// <summary>The hoisted position of each of <paramref name="inputs"/>' groups, in their order.</summary>
    /// <remarks>Each group climbs on its own (whether a group ahead of it stays does not matter), so each is followed alone.</remarks>
    public static ImmutableArray<int> Positions(LoopNest nest, IReadOnlyList<PlannedOperand> inputs)
    {
        var indexCount = nest.IndexLoops.Length;
        var final = new int[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            final[i] = -1;
            var level = inputs[i].Level;
            for (var j = level is null ? indexCount - 1 : indexCount + nest.ReductionPosition(level); j >= 0; j--)
            {
                var loop = j < indexCount ? nest.IndexLoops[j] : nest.ReductionLoops[j - indexCount];
                if (nest.Binds(loop) && nest.DependsOn(inputs[i].Access, loop))
                {
                    final[i] = j;
                    break;
                }

                if (j == indexCount && indexCount > 0)
                {
                    final[i] = indexCount - 1;
                    break;
                }
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(final);
    }
}
