using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// A 1 x 1 convolution reads its input rows as <c>oh + kh</c> with <c>kh</c> of one position, which is its
/// output's rows: its input can be blocked along them as the layer before it blocked its output, and a
/// space constrained to read that output where it lies holds such kernels, however much they pad.
/// </summary>
public sealed class BlockedReaderTests
{
    /// <summary>A 1 x 1 layer whose output, M over its channels and N over its rows, is blocked along both, each core group keeping its images.</summary>
    private static readonly OperatorSpec Producer = Operator.Conv2d(8, 32, 128, 8, 8, 1);

    /// <summary>The 1 x 1 layer after it.</summary>
    private static readonly OperatorSpec Consumer = Operator.Conv2d(8, 128, 64, 8, 8, 1);

    private static ImplicitGemmSchedule RowsOnN(int tileK) => new()
    {
        Mapping = new GemmMapping("co", "oh", "ci"), TileM = 128, TileN = 32, TileK = tileK,
        IndexOrder = ["n", "co", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"], BlockedLayouts = true, CoreGroups = 4, SplitAxis = "n",
    };

    [Test]
    public void A_1x1_convolution_with_its_rows_on_N_blocks_its_input_along_them()
    {
        var plan = ImplicitGemmSpace.For(Consumer, SmallOperators.Limits).Validate(RowsOnN(tileK: 128));
        var input = plan.PlacementOf(plan.Operands.First(o => o.Access.Tensor.Name == "input")).Layout;
        Assert.That(input.IsBlocked(2), Is.True, $"the rows are blocked: {input}");
        Assert.That(input.IsBlocked(1), Is.True, $"the channels (K) are blocked: {input}");
        Assert.That(input.Blocks[2], Is.EqualTo(32 / 8), "a CPE's share of an N tile");
    }

    [Test]
    public void A_3x3_convolution_does_not_block_its_input_rows()
    {
        var spec = Operator.Conv2d(8, 128, 64, 8, 8, 3, padding: 1);
        var plan = ImplicitGemmSpace.For(spec, SmallOperators.Limits).Validate(RowsOnN(tileK: 128));
        var input = plan.PlacementOf(plan.Operands.First(o => o.Access.Tensor.Name == "input")).Layout;
        Assert.That(input.IsBlocked(2), Is.False, $"a window's rows are read at oh + kh over three taps: {input}");
    }

    [Test]
    public void A_1x1_convolution_can_read_its_input_blocked_where_the_layer_before_left_it()
    {
        var produced = ImplicitGemmSpace.For(Producer, SmallOperators.Limits).Validate(RowsOnN(tileK: 32));
        var output = produced.PlacementOf(produced.Output);
        Assert.That(output.Layout.IsBlocked(2) && output.Layout.IsBlocked(1), Is.True, $"the producer blocks its rows and channels: {output}");
        var input = Consumer.Expression.Inputs.First(i => i.Tensor.Name == "input").Tensor;
        var required = output with { Layout = output.Layout with { Tensor = input } };

        var readers = ImplicitGemmSpace.For(Consumer, SmallOperators.Limits, PlacementConstraints.None.Require(input.Name, required)).EnumeratePlans().ToList();

        Assert.That(readers, Is.Not.Empty, "the padded readers (N over 8 rows in tiles of 32) are measured against each other, not against kernels that cannot read it");
        Assert.That(readers.Select(plan => plan.PlacementOf(plan.Operands.First(o => o.Access.Tensor.Name == input.Name))), Has.All.Matches<TensorPlacement>(p => p.Matches(required)));
    }
}
