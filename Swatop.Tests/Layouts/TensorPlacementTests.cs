using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Layouts;

/// <summary>
/// What a lowered kernel advertises about each of its tensors: the layout and how the core groups share
/// it, as values that compare, print, and say which group holds an element.
/// </summary>
public sealed class TensorPlacementTests
{
    private static readonly TargetLimits Limits = Swatop.Hardware.Sw26010.Target.Sw26010Target.Default.Limits;

    private static readonly ImplicitGemmSchedule Gemm = new()
    {
        Mapping = new GemmMapping("m", "n", "k"), TileM = 128, TileN = 32, TileK = 8, IndexOrder = ["m", "n"], ReductionOrder = ["k"],
    };

    [Test]
    public void Each_group_holds_its_chunk_of_the_split_axis_and_the_whole_of_an_input_without_it()
    {
        // 1000 rows in 8 tiles of 128, 2 tiles a group.
        var lowered = KernelLowering.Lower(Operator.Gemm(1000, 40, 20), Gemm with { CoreGroups = 4, SplitAxis = "m" }, Limits);
        var placements = lowered.Placements;
        var split = new SplitDistribution(4, dimension: 0, stride: 1, extent: 1000, step: 128, chunk: 2);
        Assert.Multiple(() =>
        {
            Assert.That(placements.Keys, Is.EquivalentTo(new[] { "A", "B", "C" }));
            Assert.That(placements["A"].Distribution, Is.EqualTo(split), "A's rows are the split axis's positions");
            Assert.That(placements["B"].Distribution, Is.EqualTo(Distribution.Replicated(4)), "B has no row axis");
            Assert.That(placements["C"].Distribution, Is.EqualTo(split));
            Assert.That(placements["C"], Is.EqualTo(lowered.OutputPlacement));
            Assert.That(placements["C"].Layout, Is.EqualTo(lowered.Layouts["C"]));
            Assert.That(split.PositionsPerGroup, Is.EqualTo(256));
            Assert.That(split.Owner.ToString(), Is.EqualTo("index[0] / 1 % 1000 / 128 / 2"));
            Assert.That(split.OwnerOf([999, 0]), Is.EqualTo(3));
            Assert.That(split.OwnerOf([255, 39]), Is.Zero);
            Assert.That(split.OwnerOf([256, 0]), Is.EqualTo(1));
        });
    }

    [Test]
    public void The_split_of_a_mixed_radix_channel_reads_its_axis_out_of_the_dimension()
    {
        // 2 groups of 128 output channels, channel = 128 g + co; co in tiles of 32, one a core group.
        var conv = Operator.Conv2d(1, 2, 256, 3, 3, 1, groups: 2);
        var schedule = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("n", "co", "ci"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["co", "g", "n", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"], CoreGroups = 4, SplitAxis = "co",
        };
        var output = KernelLowering.Lower(conv, schedule, Limits).OutputPlacement;
        Assert.Multiple(() =>
        {
            Assert.That(output.Distribution, Is.EqualTo(new SplitDistribution(4, 1, 1, 128, 32, 1)));
            Assert.That(output.OwnerOf([0, 200, 1, 1]), Is.EqualTo(200 % 128 / 32));
        });
    }

    [Test]
    public void A_convolution_input_is_split_by_the_batch_the_groups_share_but_whole_when_a_window_slides_across_chunks()
    {
        var conv = Operator.Conv2d(8, 4, 32, 15, 9, 3, stride: 2, padding: 1);
        var schedule = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("ow", "co", "ci"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["n", "co", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"], CoreGroups = 4, SplitAxis = "n",
        };
        var byBatch = KernelLowering.Lower(conv, schedule, Limits).Placements;
        var byRow = KernelLowering.Lower(conv, schedule with { SplitAxis = "oh" }, Limits).Placements;
        Assert.Multiple(() =>
        {
            Assert.That(byBatch["input"].Distribution, Is.EqualTo(new SplitDistribution(4, 0, 1, 8, 1, 2)), "two images a group");
            Assert.That(byBatch["input"].Distribution, Is.EqualTo(byBatch["output"].Distribution), "each group reads the images it computes");
            Assert.That(byBatch["weights"].Distribution, Is.EqualTo(Distribution.Replicated(4)));
            Assert.That(byRow["input"].Distribution, Is.EqualTo(Distribution.Replicated(4)), "a 3-row window at stride 2 reads rows of the next chunk");
            Assert.That(byRow["output"].Distribution, Is.InstanceOf<SplitDistribution>());
        });
    }

    [Test]
    public void One_core_group_holds_everything_whole()
    {
        var lowered = KernelLowering.Lower(Operator.Gemm(130, 40, 20), Gemm, Limits);
        Assert.Multiple(() =>
        {
            Assert.That(lowered.Placements.Values.Select(p => p.Distribution), Has.All.EqualTo(Distribution.Replicated(1)));
            Assert.That(lowered.OutputPlacement.OwnerOf([129, 39]), Is.Zero);
            Assert.That(Distribution.Replicated(1).Owner, Is.EqualTo(new IndexConstant(0)));
        });
    }

    [Test]
    public void The_operands_are_the_inputs_then_the_output()
    {
        var lowered = KernelLowering.Lower(Operator.Conv2d(2, 3, 4, 5, 6, 3), new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("n", "co", "ci"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["n", "co", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"],
        }, Limits);
        Assert.Multiple(() =>
        {
            Assert.That(lowered.Inputs.Select(t => t.Name), Is.EqualTo(new[] { "input", "weights" }));
            Assert.That(lowered.Output.Name, Is.EqualTo("output"));
            Assert.That(lowered.Operands.Select(t => t.Name), Is.EqualTo(new[] { "input", "weights", "output" }));
        });
    }

    [Test]
    public void Which_host_steps_a_placement_asks_for()
    {
        // A stored [k][m] is the kernel's layout already; B and C are permuted.
        var one = KernelLowering.Lower(Operator.Gemm(130, 40, 20, transposeA: true), Gemm, Limits).Placements;
        var identity = new TensorPlacement(one["A"].Layout, Distribution.Replicated(1));
        Assert.Multiple(() =>
        {
            Assert.That(one["A"].IsPackedByHost, Is.False);
            Assert.That(one["B"].IsPackedByHost, Is.True);
            Assert.That(one["C"].IsGatheredByHost, Is.True);
            Assert.That(identity.IsGatheredByHost, Is.False, "one group computes it in place");
            Assert.That((identity with { Distribution = Distribution.Replicated(2) }).IsGatheredByHost, Is.True, "two groups' copies are gathered");
        });
    }

    [Test]
    public void Placements_compare_by_value_and_match_whatever_the_tensors_are_called()
    {
        var first = KernelLowering.Lower(Operator.Gemm(1000, 40, 20), Gemm with { CoreGroups = 4, SplitAxis = "m" }, Limits).OutputPlacement;
        var again = KernelLowering.Lower(Operator.Gemm(1000, 40, 20), Gemm with { CoreGroups = 4, SplitAxis = "m" }, Limits).OutputPlacement;
        var layout = first.Layout;
        var renamed = first with { Layout = layout with { Tensor = TensorDeclaration.Create("D", [.. layout.Tensor.Shape]) } };
        var fewer = first with { Distribution = new SplitDistribution(4, 0, 1, 1000, 128, 3) };
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(again.GetHashCode(), Is.EqualTo(first.GetHashCode()));
            Assert.That(fewer, Is.Not.EqualTo(first));
            Assert.That(fewer.Matches(first), Is.False);
            Assert.That(renamed, Is.Not.EqualTo(first));
            Assert.That(renamed.Matches(first), Is.True);
            Assert.That(Distribution.Replicated(4), Is.Not.EqualTo(Distribution.Replicated(2)));
        });
    }

    [Test]
    public void Placements_print_their_layout_and_distribution()
    {
        var output = KernelLowering.Lower(Operator.Gemm(256, 40, 16), Gemm with { IndexOrder = ["n", "m"], CoreGroups = 2, SplitAxis = "m" }, Limits).OutputPlacement;
        Assert.Multiple(() =>
        {
            Assert.That(output.ToString(), Is.EqualTo("C[256][40] -> [1:40, 0:256], split over 2 core groups: index[0] / 1 % 256 in chunks of 128 (1 x 128)"));
            Assert.That(Distribution.Replicated(4).ToString(), Is.EqualTo("whole in each of 4 core groups"));
            Assert.That(Distribution.Replicated(1).ToString(), Is.EqualTo("whole in 1 core group"));
        });
    }

    [Test]
    public void A_distribution_refuses_counts_that_are_not_positive()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Distribution.Replicated(0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new SplitDistribution(2, -1, 1, 8, 1, 4), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new SplitDistribution(2, 0, 1, 8, 1, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("chunk"));
        });
    }
}
