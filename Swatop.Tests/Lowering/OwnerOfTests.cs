using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Lowering;

/// <summary>
/// Which core group computes each output element: with four core groups split on an axis, every element has exactly
/// one owner, the group whose range of that axis (worked out by hand here) holds the element's position.
/// </summary>
public sealed class OwnerOfTests
{
    private static readonly TargetLimits Limits = Sw26010Target.Default.Limits;

    [Test]
    public void Without_a_split_core_group_0_owns_everything()
    {
        var lowered = KernelLowering.Lower(Operator.Gemm(130, 40, 20), Gemm(), Limits);
        Assert.That(lowered.Plan.SplitLoop, Is.Null);
        Assert.That(Owners(lowered).Distinct(), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Split_on_the_m_tiles_gives_each_group_two_tiles_of_128_rows()
    {
        // 1000 rows in 8 tiles of 128; 4 groups take 2 tiles each: rows [0, 256), [256, 512), [512, 768), [768, 1000).
        var lowered = KernelLowering.Lower(Operator.Gemm(1000, 40, 20), Gemm() with { CoreGroups = 4, SplitAxis = "m" }, Limits);
        AssertRanges(lowered, dim: 0, [0, 256, 512, 768, 1000]);
    }

    [Test]
    public void Split_on_the_n_tiles_of_a_swapped_mapping_follows_the_columns()
    {
        // M = n, N = m: the split axis m is now the N axis, tiles of 32; 200 rows in 7 tiles, 2 a group: [0, 64), [64, 128), [128, 192), [192, 200).
        var schedule = Gemm() with { Mapping = new GemmMapping("n", "m", "k"), CoreGroups = 4, SplitAxis = "m" };
        var lowered = KernelLowering.Lower(Operator.Gemm(200, 40, 20), schedule, Limits);
        Assert.That(lowered.Plan.SplitLoop!.Step, Is.EqualTo(32));
        AssertRanges(lowered, dim: 0, [0, 64, 128, 192, 200]);
    }

    [Test]
    public void Split_on_the_batch_gives_each_group_whole_products()
    {
        // 7 products in parts of 2: [0, 2), [2, 4), [4, 6), [6, 7).
        var schedule = Gemm() with { IndexOrder = ["b", "m", "n"], CoreGroups = 4, SplitAxis = "b" };
        var lowered = KernelLowering.Lower(Operator.Gemm(3, 5, 7, batch: 7), schedule, Limits);
        AssertRanges(lowered, dim: 0, [0, 2, 4, 6, 7]);
    }

    [Test]
    public void Split_on_the_output_rows_of_a_convolution()
    {
        // 9 - 2 + 1 = 8 output rows, 2 a group.
        var conv = Operator.Conv2d(1, 2, 3, 9, 5, 2);
        var lowered = KernelLowering.Lower(conv, Conv() with { CoreGroups = 4, SplitAxis = "oh" }, Limits);
        AssertRanges(lowered, dim: 2, [0, 2, 4, 6, 8]);
    }

    [Test]
    public void Split_on_the_bands_of_a_window_gives_each_group_whole_bands()
    {
        // 17 - 2 + 1 = 16 output columns in 8 bands of 2, 2 bands a group: columns [0, 4), [4, 8), [8, 12), [12, 16).
        var conv = Operator.Conv2d(1, 2, 3, 3, 17, 2);
        var schedule = Conv() with { WindowAxis = "ow", Window = 2, CoreGroups = 4, SplitAxis = "ow" };
        var lowered = KernelLowering.Lower(conv, schedule, Limits);
        Assert.That(lowered.Plan.SplitLoop!.Role, Is.EqualTo(LoopRole.Band));
        AssertRanges(lowered, dim: 3, [0, 4, 8, 12, 16]);
    }

    [Test]
    public void Split_on_the_groups_of_a_grouped_convolution_reads_the_group_out_of_the_channel()
    {
        // 4 groups of 2 output channels: output channel c belongs to group c / 2, which core group c / 2 computes.
        var conv = Operator.Conv2d(1, 4, 8, 4, 4, 2, groups: 4);
        var schedule = Conv() with { IndexOrder = ["g", "n", "co", "oh", "ow"], CoreGroups = 4, SplitAxis = "g" };
        var lowered = KernelLowering.Lower(conv, schedule, Limits);
        AssertRanges(lowered, dim: 1, [0, 2, 4, 6, 8]);
    }

    [Test]
    public void Split_on_the_channel_tiles_of_a_grouped_convolution_reads_the_channel_within_its_group()
    {
        // 2 groups of 128 output channels, channel c = 128 g + co; co in 4 tiles of 32, one a core group: the owner is (c mod 128) / 32.
        var conv = Operator.Conv2d(1, 2, 256, 3, 3, 1, groups: 2);
        var schedule = Conv() with { IndexOrder = ["co", "g", "n", "oh", "ow"], CoreGroups = 4, SplitAxis = "co" };
        var lowered = KernelLowering.Lower(conv, schedule, Limits);
        Assert.That(lowered.Plan.SplitLoop!.Var, Is.EqualTo("co_t"));
        var shape = conv.Expression.Output.Tensor.Shape;
        foreach (var index in Indices(shape))
        {
            Assert.That(lowered.OutputPlacement.OwnerOf(index), Is.EqualTo(index[1] % 128 / 32), $"owner of [{string.Join(", ", index)}]");
        }
    }

    [Test]
    public void Split_on_the_output_rows_of_a_channels_last_convolution()
    {
        // NHWC output [n][oh][ow][co]: the rows are dimension 1.
        var conv = Operator.Conv2d(1, 2, 3, 9, 5, 2, layout: ConvLayout.Nhwc);
        var lowered = KernelLowering.Lower(conv, Conv() with { CoreGroups = 4, SplitAxis = "oh" }, Limits);
        AssertRanges(lowered, dim: 1, [0, 2, 4, 6, 8]);
    }

    /// <summary>
    /// Every output element has exactly one range of <paramref name="bounds"/> holding its index in dimension
    /// <paramref name="dim"/>, and <see cref="Swatop.Core.Layouts.TensorPlacement.OwnerOf"/> of the output names that range's core group; every group owns something.
    /// </summary>
    private static void AssertRanges(LoweredKernel lowered, int dim, long[] bounds)
    {
        var shape = lowered.Operator.Expression.Output.Tensor.Shape;
        Assert.That(bounds[^1], Is.EqualTo(shape[dim]), "the ranges cover the dimension");
        var owned = new long[bounds.Length - 1];
        foreach (var index in Indices(shape))
        {
            var holders = Enumerable.Range(0, bounds.Length - 1).Where(g => bounds[g] <= index[dim] && index[dim] < bounds[g + 1]).ToList();
            Assert.That(holders, Has.Count.EqualTo(1));
            var owner = lowered.OutputPlacement.OwnerOf(index);
            Assert.That(owner, Is.EqualTo(holders[0]), $"owner of [{string.Join(", ", index)}]");
            owned[owner]++;
        }

        Assert.That(owned, Has.All.GreaterThan(0), "every core group owns output");
    }

    private static IEnumerable<int> Owners(LoweredKernel lowered) => Indices(lowered.Operator.Expression.Output.Tensor.Shape).Select(i => lowered.OutputPlacement.OwnerOf(i));

    private static IEnumerable<long[]> Indices(IReadOnlyList<int> shape)
    {
        var index = new long[shape.Count];
        var total = shape.Aggregate(1L, (p, l) => p * l);
        for (var i = 0L; i < total; i++)
        {
            var rest = i;
            for (var d = shape.Count - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            yield return (long[])index.Clone();
        }
    }

    private static ImplicitGemmSchedule Gemm() => new()
    {
        Mapping = new GemmMapping("m", "n", "k"), TileM = 128, TileN = 32, TileK = 8, IndexOrder = ["m", "n"], ReductionOrder = ["k"],
    };

    private static ImplicitGemmSchedule Conv() => new()
    {
        Mapping = new GemmMapping("n", "co", "ci"), TileM = 128, TileN = 32, TileK = 8, IndexOrder = ["n", "co", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"],
    };
}
