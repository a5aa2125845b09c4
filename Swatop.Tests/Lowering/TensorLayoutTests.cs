using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Tests.Lowering;

/// <summary>How a kernel stores a tensor: identity for what is already in the kernel's order, permuted and padded offsets computed by hand otherwise.</summary>
public sealed class TensorLayoutTests
{
    private static readonly TargetLimits Limits = Sw26010Target.Default.Limits;

    [Test]
    public void A_row_major_tensor_walked_in_its_own_order_has_the_identity_layout()
    {
        var gemm = Operator.Gemm(3, 5, 7).Expression;
        var c = gemm.Output;
        var layout = TensorLayout.For(c, gemm.Axis("m"), gemm.Axis("n"), padToReads: false);
        Assert.Multiple(() =>
        {
            Assert.That(layout.IsIdentity, Is.True);
            Assert.That(layout.Order, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(layout.Strides, Is.EqualTo(new long[] { 5, 1 }));
            Assert.That(layout.Elements, Is.EqualTo(15));
            Assert.That(layout.OffsetOf([2, 4]), Is.EqualTo((2 * 5) + 4));
        });

        var (constant, coefficients) = layout.AddressOf(c);
        Assert.That(constant, Is.Zero);
        Assert.That(coefficients, Is.EquivalentTo(new Dictionary<string, long> { ["m"] = 5, ["n"] = 1 }));
    }

    [Test]
    public void Every_offset_of_an_identity_layout_is_the_row_major_offset()
    {
        var c = Operator.Gemm(3, 5, 7, batch: 2).Expression;
        var layout = TensorLayout.For(c.Output, c.Axis("m"), c.Axis("n"), padToReads: true);
        Assert.That(layout.IsIdentity, Is.True);
        var expected = 0L;
        for (long b = 0; b < 2; b++)
        {
            for (long m = 0; m < 3; m++)
            {
                for (long n = 0; n < 5; n++)
                {
                    Assert.That(layout.OffsetOf([b, m, n]), Is.EqualTo(expected++));
                }
            }
        }
    }

    [Test]
    public void Lowering_keeps_a_transposed_a_operand_as_it_is()
    {
        // A stored [k][m] is already K-major with M innermost, as the mesh GEMM reads it.
        var lowered = KernelLowering.Lower(Operator.Gemm(130, 40, 20, transposeA: true), Gemm(), Limits);
        Assert.Multiple(() =>
        {
            Assert.That(lowered.Layouts["A"].IsIdentity, Is.True);
            Assert.That(lowered.Layouts["B"].IsIdentity, Is.False);
            Assert.That(lowered.Layouts["C"].IsIdentity, Is.False);
        });
    }

    [Test]
    public void A_row_major_a_operand_is_stored_with_m_innermost()
    {
        var spec = Operator.Gemm(130, 40, 20);
        var layout = KernelLowering.Lower(spec, Gemm(), Limits).Layouts["A"];

        // A[m][k] stored as [k][m]: element (m, k) at m + 130 k.
        Assert.Multiple(() =>
        {
            Assert.That(layout.IsIdentity, Is.False);
            Assert.That(layout.Order, Is.EqualTo(new[] { 1, 0 }));
            Assert.That(layout.Strides, Is.EqualTo(new long[] { 1, 130 }));
            Assert.That(layout.Elements, Is.EqualTo(130 * 20));
            Assert.That(layout.OffsetOf([0, 0]), Is.Zero);
            Assert.That(layout.OffsetOf([129, 0]), Is.EqualTo(129));
            Assert.That(layout.OffsetOf([5, 3]), Is.EqualTo(5 + (3 * 130)));
            Assert.That(layout.OffsetOf([130, 0]), Is.EqualTo(-1));
            Assert.That(layout.OffsetOf([0, 20]), Is.EqualTo(-1));
        });

        var (constant, coefficients) = layout.AddressOf(spec.Expression.Left);
        Assert.That(constant, Is.Zero);
        Assert.That(coefficients, Is.EquivalentTo(new Dictionary<string, long> { ["m"] = 1, ["k"] = 130 }));
    }

    [Test]
    public void A_padded_strided_convolution_input_is_stored_with_its_padding_and_the_batch_innermost()
    {
        // input[n][ci][oh*2 + kh - 1][ow*2 + kw - 1] of a 2 x 3 x 5 x 6 input, 3 x 3 kernel, stride 2, padding 1: a 3 x 3 output.
        // Rows read: -1 .. (3 - 1) * 2 + 2 - 1 = 5, 7 of them; columns read: -1 .. 5, 7 of them.
        var conv = Operator.Conv2d(2, 3, 4, 5, 6, 3, stride: 2, padding: 1);
        var schedule = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("n", "co", "ci"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["n", "co", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"],
        };
        var layout = KernelLowering.Lower(conv, schedule, Limits).Layouts["input"];

        // Internal order: rows, columns, channels (K), batch (M) innermost.
        Assert.Multiple(() =>
        {
            Assert.That(layout.IsIdentity, Is.False);
            Assert.That(layout.Order, Is.EqualTo(new[] { 2, 3, 1, 0 }));
            Assert.That(layout.Origins, Is.EqualTo(new long[] { 0, 0, 1, 1 }));
            Assert.That(layout.Lengths, Is.EqualTo(new long[] { 2, 3, 7, 7 }));
            Assert.That(layout.Strides, Is.EqualTo(new long[] { 1, 2, 42, 6 }));
            Assert.That(layout.Elements, Is.EqualTo(2 * 3 * 7 * 7));

            // Framework element (n, c, h, w) sits at n + 2 c + 42 (h + 1) + 6 (w + 1).
            Assert.That(layout.OffsetOf([0, 0, 0, 0]), Is.EqualTo(42 + 6));
            Assert.That(layout.OffsetOf([1, 2, 4, 5]), Is.EqualTo(1 + 4 + (42 * 5) + (6 * 6)));
            Assert.That(layout.OffsetOf([0, 0, -1, -1]), Is.Zero, "the top left padding");
            Assert.That(layout.OffsetOf([0, 0, 5, 0]), Is.EqualTo((42 * 6) + 6), "the bottom padding row the last window reads");
            Assert.That(layout.OffsetOf([0, 0, 6, 0]), Is.EqualTo(-1), "below what any window reads");
            Assert.That(layout.OffsetOf([0, 0, 0, -2]), Is.EqualTo(-1));
        });

        // The access's offset: n + 2 ci + 42 (2 oh + kh - 1 + 1) + 6 (2 ow + kw - 1 + 1).
        var (constant, coefficients) = layout.AddressOf(conv.Expression.Left);
        Assert.That(constant, Is.Zero);
        Assert.That(coefficients, Is.EquivalentTo(new Dictionary<string, long> { ["n"] = 1, ["ci"] = 2, ["oh"] = 84, ["kh"] = 42, ["ow"] = 12, ["kw"] = 6 }));
    }

    [Test]
    public void Convolution_weights_are_stored_with_the_input_channels_innermost()
    {
        // weights[co][ci][kh][kw], 4 x 3 x 3 x 3, stored as [kh][kw][co][ci].
        var conv = Operator.Conv2d(2, 3, 4, 5, 6, 3);
        var schedule = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("n", "co", "ci"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["n", "co", "oh", "ow"], ReductionOrder = ["ci", "kh", "kw"],
        };
        var layout = KernelLowering.Lower(conv, schedule, Limits).Layouts["weights"];
        Assert.Multiple(() =>
        {
            Assert.That(layout.Order, Is.EqualTo(new[] { 2, 3, 0, 1 }));
            Assert.That(layout.Strides, Is.EqualTo(new long[] { 3, 1, 36, 12 }));
            Assert.That(layout.OffsetOf([2, 1, 2, 0]), Is.EqualTo(6 + 1 + 72));
        });

        var (constant, coefficients) = layout.AddressOf(conv.Expression.Right);
        Assert.That(constant, Is.Zero);
        Assert.That(coefficients, Is.EquivalentTo(new Dictionary<string, long> { ["co"] = 3, ["ci"] = 1, ["kh"] = 36, ["kw"] = 12 }));
    }

    [Test]
    public void A_layout_with_an_origin_or_a_longer_dimension_is_no_identity()
    {
        var tensor = TensorDeclaration.Create("T", 3, 4);
        Assert.Multiple(() =>
        {
            Assert.That(new TensorLayout(tensor, [0, 1], [0, 0], [3, 4], [0, 0]).IsIdentity, Is.True);
            Assert.That(new TensorLayout(tensor, [1, 0], [0, 0], [3, 4], [0, 0]).IsIdentity, Is.False);
            Assert.That(new TensorLayout(tensor, [0, 1], [0, 1], [3, 5], [0, 0]).IsIdentity, Is.False);
            Assert.That(new TensorLayout(tensor, [0, 1], [0, 0], [3, 5], [0, 0]).IsIdentity, Is.False);
        });

        // Padded by one column on the left: (i, j) at 5 i + j + 1.
        var padded = new TensorLayout(tensor, [0, 1], [0, 1], [3, 5], [0, 0]);
        Assert.That(padded.Strides, Is.EqualTo(new long[] { 5, 1 }));
        Assert.That(padded.OffsetOf([2, 3]), Is.EqualTo(14));
        Assert.That(padded.OffsetOf([0, -1]), Is.Zero);
    }

    [Test]
    public void A_blocked_dimension_keeps_each_block_in_one_run()
    {
        // 5 x 6 cut in blocks of 2 rows (padded to 6) and 3 columns: [i / 2][j / 3][i % 2][j % 3].
        var tensor = TensorDeclaration.Create("T", 5, 6);
        var layout = new TensorLayout(tensor, [0, 1], [0, 0], [5, 6], [0, 0]).WithBlocks(0, 2, 6).WithBlocks(1, 3, 6);
        Assert.Multiple(() =>
        {
            Assert.That(layout.IsIdentity, Is.False);
            Assert.That(layout.Elements, Is.EqualTo(36));
            Assert.That(layout.Strides, Is.EqualTo(new long[] { 3, 1 }));
            Assert.That(layout.OuterStrides, Is.EqualTo(new long[] { 12, 6 }));
            Assert.That(layout.OffsetOf([3, 4]), Is.EqualTo(12 + 3 + 6 + 1));
        });

        var offsets = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 6; j++)
            {
                offsets.Add(layout.OffsetOf([i, j]));
            }
        }

        Assert.That(offsets, Is.Unique.And.All.InRange(0, 35));
        var block = new[] { layout.OffsetOf([2, 3]), layout.OffsetOf([2, 4]), layout.OffsetOf([2, 5]), layout.OffsetOf([3, 3]), layout.OffsetOf([3, 4]), layout.OffsetOf([3, 5]) };
        Assert.That(block, Is.EqualTo(new long[] { 18, 19, 20, 21, 22, 23 }), "rows 2-3, columns 3-5: one block, one run");
        Assert.That(() => layout.AddressOf(new TensorAccess(tensor, [AffineExpression.FromConstant(0), AffineExpression.FromConstant(0)])), Throws.InvalidOperationException);
    }

    [Test]
    public void Blocks_must_divide_a_length_no_shorter_than_the_dimension()
    {
        var layout = new TensorLayout(TensorDeclaration.Create("T", 5, 6), [0, 1], [0, 0], [5, 6], [0, 0]);
        Assert.Multiple(() =>
        {
            Assert.That(() => layout.WithBlocks(0, 2, 5), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("multiple of the block length 2"));
            Assert.That(() => layout.WithBlocks(0, 2, 4), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => layout.WithBlocks(0, 0, 6), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Layouts_compare_by_value()
    {
        var tensor = TensorDeclaration.Create("T", 5, 6);
        var one = new TensorLayout(tensor, [1, 0], [0, 1], [5, 8], [0, 0]);
        var same = new TensorLayout(TensorDeclaration.Create("T", 5, 6), [1, 0], [0, 1], [5, 8], [0, 0]);
        Assert.Multiple(() =>
        {
            Assert.That(same, Is.EqualTo(one));
            Assert.That(same.GetHashCode(), Is.EqualTo(one.GetHashCode()));
            Assert.That(one.WithBlocks(0, 5, 5), Is.Not.EqualTo(one));
            Assert.That(new TensorLayout(tensor, [0, 1], [0, 1], [5, 8], [0, 0]), Is.Not.EqualTo(one));
            Assert.That(new TensorLayout(TensorDeclaration.Create("U", 5, 6), [1, 0], [0, 1], [5, 8], [0, 0]), Is.Not.EqualTo(one));
            Assert.That(new TensorLayout(TensorDeclaration.Create("U", 5, 6), [1, 0], [0, 1], [5, 8], [0, 0]).HasSameArrangement(one), Is.True);
            Assert.That(new TensorLayout(TensorDeclaration.Create("U", 5, 7), [1, 0], [0, 1], [5, 8], [0, 0]).HasSameArrangement(one), Is.False);
        });
    }

    [Test]
    public void A_layout_changed_with_with_has_the_strides_of_its_new_lengths()
    {
        var layout = new TensorLayout(TensorDeclaration.Create("T", 5, 6), [0, 1], [0, 0], [5, 6], [0, 0]);
        Assert.That(layout.Strides, Is.EqualTo(new long[] { 6, 1 }));
        var longer = layout with { Lengths = [5, 8] };
        Assert.Multiple(() =>
        {
            Assert.That(longer.Strides, Is.EqualTo(new long[] { 8, 1 }));
            Assert.That((longer with { Order = [1, 0] }).Strides, Is.EqualTo(new long[] { 1, 5 }));
            Assert.That(layout.Strides, Is.EqualTo(new long[] { 6, 1 }));
        });
    }

    [Test]
    public void A_layout_prints_its_internal_dimensions_outermost_first()
    {
        // Rows padded by one on each side, columns in blocks of 3, innermost.
        var layout = new TensorLayout(TensorDeclaration.Create("T", 5, 6), [1, 0], [1, 0], [7, 6], [0, 0]).WithBlocks(1, 3, 6);
        Assert.That(layout.ToString(), Is.EqualTo("T[5][6] -> [1:6/3, 0:7@1, 1%3]"));
    }

    private static ImplicitGemmSchedule Gemm() => new()
    {
        Mapping = new GemmMapping("m", "n", "k"), TileM = 128, TileN = 32, TileK = 8, IndexOrder = ["m", "n"], ReductionOrder = ["k"],
    };
}
