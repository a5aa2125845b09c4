using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

/// <summary>
/// The transpose primitive's host kernel: for every shape (a single element, a row, a column, edges
/// that are no multiple of the 4 x 4 blocks, blocks larger than a cache tile) it writes what a naive
/// loop writes, bit for bit, in double, float and element types without a vector path; it moves bits,
/// so NaN payloads and negative zeros survive; its reference is the same loop; and a call that breaks
/// a rule is refused with the parameter named.
/// </summary>
public sealed class BlockTransposeTests
{
    private static readonly (int Rows, int Columns)[] Shapes =
    [
        (1, 1), (1, 7), (1, 64), (9, 1), (64, 1), (2, 2), (3, 5), (4, 4), (5, 7), (7, 4), (4, 9), (13, 6),
        (16, 32), (33, 35), (64, 48), (48, 64), (70, 3),
    ];

    public static IEnumerable<TestCaseData> ShapeCases() =>
        Shapes.Select(s => new TestCaseData(s.Rows, s.Columns).SetArgDisplayNames($"{s.Rows}x{s.Columns}"));

    [TestCaseSource(nameof(ShapeCases))]
    public void Double_blocks_transpose_like_the_naive_loop(int rows, int columns)
    {
        var source = Doubles(rows * columns, seed: (rows * 100) + columns);
        var actual = Fresh<double>(rows * columns);
        BlockTranspose.Transpose<double>(source, actual, rows, columns);
        Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(Naive(source, rows, columns))).AsCollection);
    }

    [TestCaseSource(nameof(ShapeCases))]
    public void Float_blocks_transpose_like_the_naive_loop(int rows, int columns)
    {
        var source = Doubles(rows * columns, seed: (rows * 101) + columns).Select(v => (float)v).ToArray();
        var actual = Fresh<float>(rows * columns);
        BlockTranspose.Transpose<float>(source, actual, rows, columns);
        Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(Naive(source, rows, columns))).AsCollection);
    }

    [TestCase(5, 7)]
    [TestCase(64, 48)]
    public void Element_types_without_a_vector_path_move_element_by_element(int rows, int columns)
    {
        var shorts = Enumerable.Range(0, rows * columns).Select(v => (short)(v * 7)).ToArray();
        var moved = new short[shorts.Length];
        BlockTranspose.Transpose<short>(shorts, moved, rows, columns);
        Assert.That(moved, Is.EqualTo(Naive(shorts, rows, columns)).AsCollection);
    }

    [Test]
    public void The_reference_is_the_naive_loop()
    {
        var source = Doubles(5 * 7, seed: 3);
        var actual = new double[source.Length];
        BlockTranspose.Reference<double>(source, actual, 5, 7);
        Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(Naive(source, 5, 7))).AsCollection);
    }

    [Test]
    public void Element_i_j_of_the_source_lands_at_j_plus_i_times_columns()
    {
        // The 2 x 3 block [[0, 2, 4], [1, 3, 5]] (column-major) becomes the 3 x 2 block [[0, 1], [2, 3], [4, 5]].
        double[] source = [0, 1, 2, 3, 4, 5];
        var target = new double[6];
        BlockTranspose.Transpose<double>(source, target, 2, 3);
        Assert.That(target, Is.EqualTo(new double[] { 0, 2, 4, 1, 3, 5 }).AsCollection);
    }

    [Test]
    public void Transposing_twice_gives_the_block_back()
    {
        var source = Doubles(33 * 35, seed: 9);
        var once = new double[source.Length];
        var twice = new double[source.Length];
        BlockTranspose.Transpose<double>(source, once, 33, 35);
        BlockTranspose.Transpose<double>(once, twice, 35, 33);
        Assert.That(Bits.Of(twice), Is.EqualTo(Bits.Of(source)).AsCollection);
    }

    [Test]
    public void Bits_move_unchanged_NaN_payloads_and_negative_zeros_included()
    {
        double[] source = [.. Enumerable.Range(0, 16).Select(i => BitConverter.Int64BitsToDouble(unchecked((long)0xFFF0_0000_0000_0001UL + i))), -0.0, double.NegativeInfinity, 1e-310, -0.0];
        var target = new double[20];
        BlockTranspose.Transpose<double>(source, target, 4, 5);
        Assert.That(Bits.Of(target), Is.EqualTo(Bits.Of(Naive(source, 4, 5))).AsCollection);

        float[] floats = [.. Enumerable.Range(0, 16).Select(i => BitConverter.Int32BitsToSingle(unchecked((int)0xFF80_0001U + i)))];
        var moved = new float[16];
        BlockTranspose.Transpose<float>(floats, moved, 4, 4);
        Assert.That(Bits.Of(moved), Is.EqualTo(Bits.Of(Naive(floats, 4, 4))).AsCollection);
    }

    [Test]
    public void Only_the_block_is_written_and_longer_spans_are_allowed()
    {
        var source = Doubles(20, seed: 5);
        var target = Enumerable.Repeat(-7.0, 24).ToArray();
        BlockTranspose.Transpose<double>(source, target, 3, 5);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(target[..15], Is.EqualTo(Naive(source[..15], 3, 5)).AsCollection);
            Assert.That(target[15..], Has.All.EqualTo(-7.0));
        }
    }

    [Test]
    public void An_empty_block_writes_nothing()
    {
        var target = new[] { 1.0 };
        BlockTranspose.Transpose<double>([], target, 0, 5);
        BlockTranspose.Transpose<double>([], target, 4, 0);
        Assert.That(target, Is.EqualTo(new[] { 1.0 }));
    }

    [Test]
    public void A_negative_extent_is_refused_with_its_name()
    {
        Must.ThrowOutOfRange(() => BlockTranspose.Transpose<double>(new double[4], new double[4], -1, 2), "rows", "rows = -1 must not be negative");
        Must.ThrowOutOfRange(() => BlockTranspose.Transpose<float>(new float[4], new float[4], 2, -3), "columns", "columns = -3 must not be negative");
    }

    [Test]
    public void A_short_span_is_refused_with_its_name()
    {
        Must.ThrowArgument(() => BlockTranspose.Transpose<double>(new double[5], new double[6], 2, 3), "source", "rows * columns = 6 elements are needed");
        Must.ThrowArgument(() => BlockTranspose.Reference<double>(new double[6], new double[5], 2, 3), "destination", "rows * columns = 6 elements are needed");
    }

    [Test]
    public void Overlapping_blocks_are_refused()
    {
        var memory = new double[24];
        Must.ThrowArgument(() => BlockTranspose.Transpose<double>(memory.AsSpan(0, 12), memory.AsSpan(8, 12), 3, 4), "destination", "destination overlaps source");

        // Spans that overlap only beyond the block are fine.
        BlockTranspose.Transpose<double>(memory.AsSpan(0, 16), memory.AsSpan(12, 12), 3, 4);
    }

    private static T[] Naive<T>(T[] source, int rows, int columns)
    {
        var target = new T[rows * columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                target[j + (i * columns)] = source[i + (j * rows)];
            }
        }

        return target;
    }

    /// <summary>A target filled with a value no element of a source has, so a missed element shows.</summary>
    private static T[] Fresh<T>(int count)
        where T : unmanaged => Enumerable.Repeat((T)Convert.ChangeType(12345, typeof(T), System.Globalization.CultureInfo.InvariantCulture), count).ToArray();

    private static double[] Doubles(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 2) - 1)];
    }
}
