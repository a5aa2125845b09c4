using System.Numerics;
using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// Layout steps of chosen shapes, each of a kind of tiling (transposes whose rows or columns merge, a merge along a
/// split share's dimension, border tiles, blocked and two-dimensional layouts, copies into padded rows, reorders
/// between blocked layouts in tiles of whole blocks): every destination element against the host's permute bit for
/// bit, and each element got once and put once.
/// </summary>
public sealed class LayoutStepShapeTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Steps()
    {
        var activation = new TensorDeclaration("x", [20, 6, 9, 11]);
        yield return Case("pack batch innermost padded, rows and columns merged", LayoutStep.Pack(new TensorPlacement(BatchInnermost(activation, 1), Distribution.Replicated(4)), ElementType.Float64));
        yield return Case("the same in float", LayoutStep.Pack(new TensorPlacement(BatchInnermost(activation, 1), Distribution.Replicated(4)), ElementType.Float32));
        var tall = new TensorDeclaration("x", [20, 6, 12, 11]);
        yield return Case("unpack split by rows, the split dimension merged into the put's runs", LayoutStep.Unpack(new TensorPlacement(BatchInnermost(tall, 0), Split(4, 2, 12)), ElementType.Float64));
        yield return Case("unpack split by rows, float", LayoutStep.Unpack(new TensorPlacement(BatchInnermost(tall, 0), Split(4, 2, 12)), ElementType.Float32));
        var batch = new TensorDeclaration("x", [24, 6, 9, 11]);
        yield return Case("pack split by batch, the batch innermost", LayoutStep.Pack(new TensorPlacement(BatchInnermost(batch, 0), Split(4, 0, 24)), ElementType.Float64));
        var wide = new TensorDeclaration("x", [130, 5, 7, 45]);
        yield return Case("pack with border tiles along the batch and the columns", LayoutStep.Pack(new TensorPlacement(BatchInnermost(wide, 2), Distribution.Replicated(2)), ElementType.Float64));
        var blocked = new TensorDeclaration("x", [16, 24, 5, 5]);
        yield return Case("pack into channel blocks of 8", LayoutStep.Pack(new TensorPlacement(BatchInnermost(blocked, 1).WithBlocks(1, 8, 24), Distribution.Replicated(1)), ElementType.Float32));
        var matrix = new TensorDeclaration("m", [37, 53]);
        yield return Case("transpose a matrix, its runs joined both ways", LayoutStep.Pack(new TensorPlacement(new TensorLayout(matrix, [1, 0], [0, 0], [37, 53], [0, 0]), Distribution.Replicated(1)), ElementType.Float64));
        var image = new TensorDeclaration("x", [5, 7, 9, 11]);
        yield return Case("copy into padded rows", LayoutStep.Pack(new TensorPlacement(Padded(image, 1), Distribution.Replicated(2)), ElementType.Float64));
        yield return Case("copy into padded rows, float", LayoutStep.Pack(new TensorPlacement(Padded(image, 2), Distribution.Replicated(1)), ElementType.Float32));
        yield return Case("copy into padded rows, split by channels", LayoutStep.Pack(new TensorPlacement(Padded(image, 1), Split(4, 1, 7)), ElementType.Float64));
        yield return Case("unpack without a transpose, the rows cropped", LayoutStep.Unpack(new TensorPlacement(Padded(image, 1), Split(2, 0, 5)), ElementType.Float64));
        foreach (var (name, reorder) in Reorders())
        {
            yield return Case(name, reorder);
        }

        var pooled = new TensorDeclaration("x", [8, 16, 16, 12]);
        foreach (var type in new[] { ElementType.Float64, ElementType.Float32 })
        {
            yield return Case($"pack into blocks of rows and channels, channels innermost: two rearrangements a tile, {type}", RowChannelBlocks(pooled, type));
        }

        var line = new TensorDeclaration("v", [1000]);
        yield return Case("copy of one dimension, padded", LayoutStep.Pack(new TensorPlacement(new TensorLayout(line, [0], [3], [1010], [0]), Distribution.Replicated(1)), ElementType.Float32));
    }

    [Test]
    public void A_reorder_between_blocked_layouts_moves_tiles_of_whole_blocks_in_a_few_long_runs()
    {
        var x = new TensorDeclaration("x", [16, 32, 8, 8]);
        var step = Reorder(x, Split(2, 0, 16), ElementType.Float64, [2, 3, 0, 1], [0, 0, 0, 0], [16, 32, 8, 8], [4, 8, 0, 0], [2, 3, 1, 0], [0, 0, 0, 0], [16, 32, 8, 8], [4, 8, 0, 0]);
        var tiling = LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes);
        Assert.That(tiling.WholeBlocks, Is.Not.Null, tiling.ToString());
        var whole = tiling.WholeBlocks!;
        Assert.That(whole.Get.Run, Is.GreaterThanOrEqualTo(32), "a batch block of the channel blocks is one run of the source");
        Assert.That(whole.Put.Run, Is.GreaterThanOrEqualTo(32), "a channel block of the batch blocks is one run of the destination");
        Assert.That(Tiles(step, tiling), Is.GreaterThanOrEqualTo(64), "every CPE of the group has a tile");
        Assert.That(whole.Shuffle, Is.Not.Null);
        Assert.That((whole.Shuffle!.Rows, whole.Shuffle.Columns), Is.EqualTo((8L, 4L)), "each block pair is transposed in LDM");
        var activity = Run<double>(step).CoreGroups[0].Total;
        Assert.That(activity.DmaBlocks, Is.LessThanOrEqualTo(Tiles(step, tiling) * (whole.Get.Blocks + whole.Put.Blocks)), tiling.ToString());
    }

    [Test]
    public void A_pack_that_no_single_transpose_rearranges_takes_two_and_puts_whole_blocks_of_rows_and_channels()
    {
        // As ResNet-50's pooled stem is packed for a 1 x 1 layer that blocks rows and channels by 8, the channels innermost.
        var step = RowChannelBlocks(new TensorDeclaration("x", [8, 16, 16, 28]), ElementType.Float64);
        var tiling = LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes);
        Assert.That(tiling.WholeBlocks?.Shuffle?.Then, Is.Not.Null, tiling.ToString());
        Assert.That(tiling.WholeBlocks!.Put.Run, Is.GreaterThan(8), "a put block spans rows of a block, not the 8 channels of one row that one transpose a tile allows");
        Run<double>(step);
        var measured = Target.MeasureStep(step).Seconds;
        var priced = new Sw26010CostModel(Target.Spec).EstimateStep(step);
        Assert.That(priced / measured, Is.InRange(0.8, 1.25), $"{tiling}: priced {priced * 1e3:F4} ms, measured {measured * 1e3:F4} ms");
    }

    [Test]
    public void A_reorder_from_a_blocked_layout_into_a_plain_one_moves_tiles_of_whole_blocks_in_long_runs()
    {
        var x = new TensorDeclaration("x", [8, 64, 8, 8]);
        var step = Reorder(x, Split(2, 0, 8), ElementType.Float64, [0, 3, 2, 1], [0, 0, 0, 0], [8, 64, 8, 8], [0, 32, 8, 0], [0, 3, 2, 1], [0, 0, 0, 0], [8, 64, 8, 8], [0, 0, 0, 0]);
        var tiling = LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes);
        Assert.That(tiling.WholeBlocks, Is.Not.Null, tiling.ToString());
        Assert.That(tiling.WholeBlocks!.Put.Run, Is.GreaterThanOrEqualTo(64), "a tile's channels are one run of the channels-last destination");
        Assert.That(tiling.WholeBlocks.Get.Run, Is.GreaterThanOrEqualTo(64), "whole channel blocks are one run of the blocked source");
        Run<double>(step);
    }

    [TestCaseSource(nameof(Steps))]
    public void Every_destination_element_matches_the_host_permute_bit_for_bit(LayoutStep step)
    {
        if (step.ElementType == ElementType.Float32)
        {
            Run<float>(step);
        }
        else
        {
            Run<double>(step);
        }
    }

    [TestCaseSource(nameof(Steps))]
    public void Each_element_is_got_once_and_put_once(LayoutStep step)
    {
        var tiling = LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes);
        var report = step.ElementType == ElementType.Float32 ? Run<float>(step) : Run<double>(step);
        for (var g = 0; g < step.CoreGroups; g++)
        {
            var moved = Moved(step, g);
            var rows = (double)(tiling.Ranges[tiling.RowDimension].End - tiling.Ranges[tiling.RowDimension].Start);
            var put = tiling.PadsRows ? moved / rows * tiling.PaddedRows : moved;
            var activity = report.CoreGroups[g].Total;
            Assert.That(activity.DmaGetBytes, Is.EqualTo(moved * step.ElementBytes), $"group {g} gets, {tiling}");
            Assert.That(activity.DmaPutBytes, Is.EqualTo((long)put * step.ElementBytes), $"group {g} puts (a padded row with its padding), {tiling}");
        }
    }

    [Test]
    public void A_transposing_tile_puts_whole_runs_of_the_destination_and_a_border_tile_moves_in_as_few_requests_as_a_whole_one()
    {
        var wide = new TensorDeclaration("x", [130, 5, 7, 45]);
        var step = LayoutStep.Pack(new TensorPlacement(BatchInnermost(wide, 2), Distribution.Replicated(1)), ElementType.Float64);
        var tiling = LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes);
        Assert.That(tiling.Transposes, Is.True);
        var report = Run<double>(step);
        var tiles = Tiles(step, tiling);
        var activity = report.CoreGroups[0].Total;
        var columnGroups = tiling.ColumnMergedDimension >= 0 ? tiling.Tiles[tiling.ColumnMergedDimension] : 1;
        var rowGroups = tiling.MergedDimension >= 0 ? tiling.Tiles[tiling.MergedDimension] : 1;
        Assert.That(activity.DmaGets, Is.LessThanOrEqualTo(tiles * columnGroups), tiling.ToString());
        Assert.That(activity.DmaPuts, Is.LessThanOrEqualTo(tiles * rowGroups), tiling.ToString());
    }

    [Test]
    public void A_copy_into_padded_rows_puts_each_tile_as_one_block()
    {
        var image = new TensorDeclaration("x", [5, 7, 9, 11]);
        var step = LayoutStep.Pack(new TensorPlacement(Padded(image, 1), Distribution.Replicated(1)), ElementType.Float64);
        var tiling = LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes);
        Assert.That(tiling.PadsRows, Is.True, tiling.ToString());
        Assert.That(tiling.PaddedRows, Is.EqualTo(13));
        var activity = Run<double>(step).CoreGroups[0].Total;
        Assert.That(activity.DmaBlocks, Is.EqualTo(activity.DmaGets + activity.DmaPuts), "every get and put of a tile is one contiguous block");
    }

    [Test]
    public void The_search_weights_requests_and_put_blocks_as_the_dma_model_does()
    {
        var dma = Target.Spec.Timing.Dma;
        Assert.That(dma.RequestNanoseconds / dma.GetBlockNanoseconds, Is.EqualTo(LayoutStepTiling.RequestCost).Within(10).Percent);
        Assert.That(dma.PutBlockNanoseconds / dma.GetBlockNanoseconds, Is.EqualTo(LayoutStepTiling.PutBlockCost).Within(10).Percent);
    }

    /// <summary><c>[H][W][C][N]</c>, swDNN's input layout, rows and columns zero-padded by <paramref name="padding"/>.</summary>
    internal static TensorLayout BatchInnermost(TensorDeclaration tensor, int padding) =>
        new(tensor, [2, 3, 1, 0], [0, 0, padding, padding], [tensor.Shape[0], tensor.Shape[1], tensor.Shape[2] + (2 * padding), tensor.Shape[3] + (2 * padding)], [0, 0, 0, 0]);

    /// <summary>A pack from NCHW into <c>[n, w, h/8, c/8, h%8, c%8]</c>, split by batch over four core groups.</summary>
    private static LayoutStep RowChannelBlocks(TensorDeclaration tensor, ElementType type) =>
        LayoutStep.Pack(new TensorPlacement(new TensorLayout(tensor, [0, 3, 2, 1], [0, 0, 0, 0], [.. tensor.Shape.Select(s => (long)s)], [0, 8, 8, 0]), Split(4, 0, tensor.Shape[0])), type);

    /// <summary>The framework's order, rows and columns zero-padded by <paramref name="padding"/>.</summary>
    internal static TensorLayout Padded(TensorDeclaration tensor, int padding) =>
        new(tensor, [0, 1, 2, 3], [0, 0, padding, padding], [tensor.Shape[0], tensor.Shape[1], tensor.Shape[2] + (2 * padding), tensor.Shape[3] + (2 * padding)], [0, 0, 0, 0]);

    /// <summary>
    /// Reorders between blocked layouts, as a graph tuner chooses them between layers: the batch and channel blocks swapped,
    /// rows blocked into batch blocked, into narrower or wider channel blocks with a padded destination, blocks that do not
    /// nest, a channel block inside a tile of several; split by batch or replicated.
    /// </summary>
    private static IEnumerable<(string Name, LayoutStep Step)> Reorders()
    {
        var swap = new TensorDeclaration("x", [16, 16, 3, 5]);
        foreach (var type in new[] { ElementType.Float64, ElementType.Float32 })
        {
            yield return ($"reorder batch and channel blocks swapped, split by batch, {type}",
                Reorder(swap, Split(2, 0, 16), type, [2, 3, 0, 1], [0, 0, 0, 0], [16, 16, 3, 5], [4, 8, 0, 0], [2, 3, 1, 0], [0, 0, 0, 0], [16, 16, 3, 5], [4, 8, 0, 0]));
        }

        yield return ("reorder batch and channel blocks swapped, replicated",
            Reorder(swap, Distribution.Replicated(1), ElementType.Float64, [2, 3, 0, 1], [0, 0, 0, 0], [16, 16, 3, 5], [4, 8, 0, 0], [2, 3, 1, 0], [0, 0, 0, 0], [16, 16, 3, 5], [4, 8, 0, 0]));
        var rows = new TensorDeclaration("x", [8, 16, 6, 5]);
        yield return ("reorder rows blocked into batch blocked, split by batch",
            Reorder(rows, Split(2, 0, 8), ElementType.Float64, [0, 3, 2, 1], [0, 0, 0, 0], [8, 16, 8, 5], [0, 8, 4, 0], [2, 3, 0, 1], [0, 0, 0, 0], [8, 16, 6, 5], [2, 8, 0, 0]));
        var narrow = new TensorDeclaration("x", [8, 8, 5, 5]);
        foreach (var type in new[] { ElementType.Float64, ElementType.Float32 })
        {
            yield return ($"reorder into narrower channel blocks, padded, split by batch, {type}",
                Reorder(narrow, Split(4, 0, 8), type, [2, 3, 0, 1], [0, 0, 0, 0], [8, 16, 5, 5], [4, 8, 0, 0], [2, 3, 0, 1], [0, 0, 1, 1], [8, 8, 7, 7], [4, 4, 0, 0]));
        }

        var wide = new TensorDeclaration("x", [8, 16, 3, 3]);
        yield return ("reorder into wider channel blocks, padded, split by batch",
            Reorder(wide, Split(2, 0, 8), ElementType.Float32, [2, 3, 0, 1], [0, 0, 0, 0], [8, 16, 3, 3], [4, 4, 0, 0], [2, 3, 0, 1], [0, 0, 1, 1], [8, 16, 5, 5], [4, 8, 0, 0]));
        var mixed = new TensorDeclaration("x", [8, 32, 8, 6]);
        foreach (var type in new[] { ElementType.Float64, ElementType.Float32 })
        {
            yield return ($"reorder rows and channels blocked into channels last, split by batch, {type}",
                Reorder(mixed, Split(2, 0, 8), type, [0, 3, 2, 1], [0, 0, 0, 0], [8, 32, 8, 6], [0, 16, 4, 0], [0, 3, 2, 1], [0, 0, 0, 0], [8, 32, 8, 6], [0, 0, 0, 0]));
        }

        yield return ("reorder batch and channel blocks, channels padded, into channels last, split by batch",
            Reorder(mixed, Split(2, 0, 8), ElementType.Float64, [2, 3, 0, 1], [0, 0, 0, 0], [8, 64, 8, 6], [4, 16, 0, 0], [0, 3, 2, 1], [0, 0, 0, 0], [8, 32, 8, 6], [0, 0, 0, 0]));
        yield return ("reorder channels last into batch and channel blocks, padded rows, split by batch",
            Reorder(mixed, Split(2, 0, 8), ElementType.Float64, [0, 2, 3, 1], [0, 0, 0, 0], [8, 32, 8, 6], [0, 0, 0, 0], [2, 3, 0, 1], [0, 0, 1, 1], [8, 32, 10, 8], [4, 8, 0, 0]));
        yield return ("reorder rows blocked into batch blocked, cropped",
            Reorder(mixed, Split(2, 0, 8), ElementType.Float64, [0, 3, 2, 1], [0, 0, 0, 0], [8, 32, 8, 6], [0, 16, 4, 0], [2, 3, 0, 1], [0, 0, 0, 0], [8, 32, 7, 5], [4, 16, 0, 0]));
        yield return ("pack into batch and channel blocks, split by batch",
            LayoutStep.Pack(new TensorPlacement(new TensorLayout(mixed, [2, 3, 0, 1], [0, 0, 0, 0], [8, 32, 8, 6], [4, 8, 0, 0]), Split(2, 0, 8)), ElementType.Float64));
        yield return ("unpack from channel and batch blocks, split by rows",
            LayoutStep.Unpack(new TensorPlacement(new TensorLayout(mixed, [2, 3, 1, 0], [0, 0, 0, 0], [8, 32, 8, 6], [8, 8, 0, 0]), Split(4, 2, 8)), ElementType.Float32));
        var odd = new TensorDeclaration("x", [4, 12, 3, 2]);
        yield return ("reorder between channel blocks of 6 and of 4, which do not nest",
            Reorder(odd, Distribution.Replicated(2), ElementType.Float64, [0, 2, 3, 1], [0, 0, 0, 0], [4, 12, 3, 2], [0, 6, 0, 0], [2, 3, 1, 0], [0, 0, 0, 0], [4, 12, 3, 2], [2, 4, 0, 0]));
    }

    private static LayoutStep Reorder(TensorDeclaration tensor, Distribution share, ElementType type,
        int[] fromOrder, long[] fromOrigins, long[] fromLengths, long[] fromBlocks, int[] toOrder, long[] toOrigins, long[] toLengths, long[] toBlocks) =>
        LayoutStep.Reorder("reorder x",
            new TensorPlacement(new TensorLayout(tensor, [.. fromOrder], [.. fromOrigins], [.. fromLengths], [.. fromBlocks]), share),
            new TensorPlacement(new TensorLayout(tensor, [.. toOrder], [.. toOrigins], [.. toLengths], [.. toBlocks]), share), type);

    private static SplitDistribution Split(int groups, int dimension, int extent) => new(groups, dimension, 1, extent, (extent + groups - 1) / groups, 1);

    private static TestCaseData Case(string name, LayoutStep step) => new TestCaseData(step).SetArgDisplayNames(name);

    /// <summary>The framework elements core group <paramref name="group"/> moves: those both layouts hold that it owns (all, when replicated).</summary>
    private static long Moved(LayoutStep step, int group)
    {
        var count = 0L;
        foreach (var index in Indices(step.Tensor))
        {
            if (step.Source.OffsetOf(index) >= 0 && step.Destination.OffsetOf(index) >= 0 && (step.Share is ReplicatedDistribution || step.Share.OwnerOf(index) == group))
            {
                count++;
            }
        }

        return count;
    }

    private static long Tiles(LayoutStep step, LayoutStepTiling tiling) =>
        Enumerable.Range(0, step.Tensor.Rank).Aggregate(1L, (product, d) =>
            product * ((LayoutStepTiling.GroupExtent(step, tiling.Ranges[d], d) + tiling.Tiles[d] - 1) / tiling.Tiles[d]));

    private static IEnumerable<long[]> Indices(TensorDeclaration tensor)
    {
        var index = new long[tensor.Rank];
        for (var i = 0L; i < tensor.ElementLength; i++)
        {
            yield return index;
            for (var d = index.Length - 1; d >= 0; d--)
            {
                if (++index[d] < tensor.Shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }
    }

    /// <summary>Runs the step in full on seeded values and checks every destination against the host's permute; the run's report.</summary>
    private static ChipRunReport Run<T>(LayoutStep step)
        where T : unmanaged, INumberBase<T>
    {
        var compiled = Sw26010LayoutStep.Compile(Target, step);
        var random = new Random(17);
        var chip = new Sw26010Chip();
        var groups = step.CoreGroups;
        var tiled = LayoutStepTiling.For(step, Target.Limits.LdmBudgetBytes).ToString();
        if (step.Kind == LayoutStepKind.Unpack)
        {
            var sources = Enumerable.Range(0, groups).Select(g => chip.CoreGroups[g].Memory.Allocate<T>("source", step.Source.Elements)).ToArray();
            foreach (var source in sources)
            {
                Values<T>(step.Source.Elements, random).CopyTo(source.AsSpan<T>());
            }

            var expected = new T[step.Tensor.ElementLength];
            HostLayoutSteps.Unpack<T>(new TensorPlacement(step.Source, step.Share), [.. sources.Select(s => (ReadOnlyMemory<T>)s.AsSpan<T>().ToArray())], expected);
            var destination = chip.SharedMemory.Allocate<T>("destination", expected.Length);
            var report = chip.Run(group => compiled.Program(sources[group.Index], destination), groups);
            Assert.That(destination.AsSpan<T>().ToArray(), Is.EqualTo(expected), $"{step}, tiled {tiled}");
            return report;
        }

        if (step.Kind == LayoutStepKind.Reorder)
        {
            // Each group's elements in the source layout, in its own memory, reordered there: against the host's pack of the same elements into the destination.
            var tensor = Values<T>(step.Tensor.ElementLength, random);
            var (from, to) = (new TensorPlacement(step.Source, step.Share), new TensorPlacement(step.Destination, step.Share));
            var sources = new GlobalBuffer[groups];
            var targets = new GlobalBuffer[groups];
            for (var g = 0; g < groups; g++)
            {
                sources[g] = chip.CoreGroups[g].Memory.Allocate<T>("source", step.Source.Elements);
                HostLayoutSteps.Pack<T>(from, g, tensor, sources[g].AsSpan<T>());
                targets[g] = chip.CoreGroups[g].Memory.Allocate<T>("destination", step.Destination.Elements);
            }

            var reordered = chip.Run(group => compiled.Program(sources[group.Index], targets[group.Index]), groups);
            for (var g = 0; g < groups; g++)
            {
                var expected = new T[step.Destination.Elements];
                HostLayoutSteps.Pack<T>(to, g, tensor, expected);
                Assert.That(targets[g].AsSpan<T>().ToArray(), Is.EqualTo(expected), $"group {g}: {step}, tiled {tiled}");
            }

            return reordered;
        }

        var values = Values<T>(step.Tensor.ElementLength, random);
        var framework = chip.SharedMemory.Allocate<T>("source", values.Length);
        values.CopyTo(framework.AsSpan<T>());
        var destinations = Enumerable.Range(0, groups).Select(g => chip.CoreGroups[g].Memory.Allocate<T>("destination", step.Destination.Elements)).ToArray();
        var run = chip.Run(group => compiled.Program(framework, destinations[group.Index]), groups);
        for (var g = 0; g < groups; g++)
        {
            var expected = new T[step.Destination.Elements];
            var i = 0;
            foreach (var index in Indices(step.Tensor))
            {
                var offset = step.Destination.OffsetOf(index);
                if (offset >= 0 && (step.Share is ReplicatedDistribution || step.Share.OwnerOf(index) == g))
                {
                    expected[offset] = values[i];
                }

                i++;
            }

            Assert.That(destinations[g].AsSpan<T>().ToArray(), Is.EqualTo(expected), $"group {g}: {step}, tiled {tiled}");
        }

        return run;
    }

    private static T[] Values<T>(long count, Random random)
        where T : INumberBase<T> =>
        [.. Enumerable.Range(0, (int)count).Select(_ => T.CreateChecked(random.Next(-1000, 1000) / 8.0))];
}
