using Swatop.Core.Graphs;
using Swatop.Core.NodeKernels;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.NodeKernels;

/// <summary>
/// Concatenations as CPE copy kernels (<see cref="ConcatLowering"/>, <see cref="Sw26010NodeKernel"/>) on the emulator
/// against the node's reference, bit for bit: along channels as a network has them, along other axes, and with rows that
/// do not fit the LDM.
/// </summary>
public sealed class ConcatKernelTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static OperatorGraph Concat(ElementType type, int axis, params int[][] shapes)
    {
        var b = new GraphBuilder("cat", type);
        var parts = shapes.Select((s, i) => b.Input($"x{i}", s)).ToArray();
        return b.Output(b.Concat("cat", axis, parts)).Build();
    }

    private static IEnumerable<TestCaseData> Concatenations()
    {
        yield return new TestCaseData(1, new[] { new[] { 3, 5, 7, 7 }, new[] { 3, 2, 7, 7 }, new[] { 3, 9, 7, 7 } }).SetName("A_concatenation_of_three_parts_along_channels_is_exact");
        yield return new TestCaseData(0, new[] { new[] { 2, 4, 5, 5 }, new[] { 3, 4, 5, 5 } }).SetName("A_concatenation_along_the_batch_is_exact");
        yield return new TestCaseData(3, new[] { new[] { 2, 3, 5, 4 }, new[] { 2, 3, 5, 7 } }).SetName("A_concatenation_along_the_width_is_exact");
        yield return new TestCaseData(1, new[] { new[] { 2, 3, 60, 61 }, new[] { 2, 1, 60, 61 } }).SetName("A_concatenation_whose_rows_do_not_fit_the_LDM_goes_by_pieces_of_a_row_and_is_exact");
    }

    [TestCaseSource(nameof(Concatenations))]
    public void Concatenation_kernels_match_the_reference_bit_for_bit(int axis, int[][] shapes)
    {
        var (f64, f64Expected) = ElementwiseNodeKernelTests.Run<double>(Concat(ElementType.Float64, axis, shapes));
        var (f32, f32Expected) = ElementwiseNodeKernelTests.Run<float>(Concat(ElementType.Float32, axis, shapes));
        Assert.Multiple(() =>
        {
            Assert.That(f64, Is.EqualTo(f64Expected));
            Assert.That(f32, Is.EqualTo(f32Expected));
        });
    }

    [Test]
    public void A_concatenation_kernel_describes_its_parts_and_counts_each_element_read_and_written_once()
    {
        var graph = Concat(ElementType.Float64, 1, [128, 512, 28, 28], [128, 512, 28, 28]);
        var kernel = ConcatKernel.For(graph.Nodes[0], ElementType.Float64, 4)!;
        Assert.Multiple(() =>
        {
            Assert.That(kernel.ToString(), Is.EqualTo("cat: concatenation of 2 parts (401408 + 401408 elements a row) x 128 rows on 4 core groups"));
            Assert.That(kernel.Bytes, Is.EqualTo(2L * 128 * 1024 * 28 * 28 * 8));
            Assert.That(kernel, Is.EqualTo(ConcatKernel.For(graph.Nodes[0], ElementType.Float64, 4)));
            Assert.That(ConcatKernel.For(graph.Nodes[0], ElementType.Float64, 2), Is.Not.EqualTo(kernel));
        });
    }
}
