using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>How many distinct elements an access reads: what a roofline bound counts as compulsory traffic.</summary>
public sealed class ElementsReadTests
{
    [Test]
    public void A_gemm_reads_each_element_of_its_operands()
    {
        var e = Operator.Gemm(40, 24, 16).Expression;
        Assert.That((e.Left.ElementsRead(), e.Right.ElementsRead()), Is.EqualTo((40L * 16, 16L * 24)));
    }

    [Test]
    public void A_padded_convolution_reads_every_input_pixel_and_weight()
    {
        var e = Operator.Conv2d(2, 3, 4, 9, 9, 3, padding: 1).Expression;
        Assert.That((e.Left.ElementsRead(), e.Right.ElementsRead()), Is.EqualTo((2L * 3 * 9 * 9, 4L * 3 * 3 * 3)));
    }

    [Test]
    public void A_strided_pointwise_convolution_reads_only_the_pixels_its_stride_lands_on()
    {
        // 1 x 1, stride 2 on 9 x 9: rows and columns 0, 2, 4, 6, 8.
        var e = Operator.Conv2d(2, 3, 4, 9, 9, 1, stride: 2).Expression;
        Assert.That(e.Left.ElementsRead(), Is.EqualTo(2L * 3 * 5 * 5));
    }

    [Test]
    public void Reads_outside_the_tensor_are_padding_and_do_not_count()
    {
        // 7 x 7, stride 2, padding 3 on 8 x 8, as ResNet's first layer: 4 output rows read input rows -3 to 9; 0 to 7 exist.
        var e = Operator.Conv2d(1, 1, 1, 8, 8, 7, stride: 2, padding: 3).Expression;
        Assert.That(e.Left.ElementsRead(), Is.EqualTo(64));
    }

    [Test]
    public void Dimensions_that_share_an_axis_count_as_their_widest_one()
    {
        // A[i][i + k]: 4 x 6 reads along a band; the exact count (12) is at least the bound (6).
        var (i, j, k) = (Axis.Index("i", 4), Axis.Index("j", 5), Axis.Reduction("k", 3));
        var a = new TensorDeclaration("A", [4, 6]);
        var access = a[[i, i + (AffineExpression)k]];
        Assert.That(access.ElementsRead(), Is.EqualTo(6));
        Assert.That(new TensorDeclaration("B", [3, 5])[[k, j]].ElementsRead(), Is.EqualTo(15));
    }
}
