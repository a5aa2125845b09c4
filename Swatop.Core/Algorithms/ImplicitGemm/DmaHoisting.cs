using System.Collections.Immutable;

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
    public static ImmutableArray<int> Positions(LoopNest nest, IReadOnlyList<PlannedOperand> inputs)
    {
        var loops = nest.Loops.ToList();
        var indexCount = nest.IndexLoops.Length;
        int Position(string? level) => level is null ? indexCount - 1 : indexCount + nest.ReductionPosition(level);
        var leading = Enumerable.Range(0, loops.Count + 1).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            leading[Position(inputs[i].Level) + 1].Add(i);
        }

        var final = Enumerable.Repeat(-1, inputs.Count).ToArray();
        for (var j = loops.Count - 1; j >= 0; j--)
        {
            foreach (var group in leading[j + 1])
            {
                var stays = nest.Binds(loops[j]) && nest.DependsOn(inputs[group].Access, loops[j]);
                if (stays)
                {
                    final[group] = j;
                }
                else if (j == indexCount && indexCount > 0)
                {
                    final[group] = indexCount - 1;
                }
                else
                {
                    leading[j].Add(group);
                }
            }
        }

        return [.. final];
    }
}
