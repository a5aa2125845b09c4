using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

/// <summary>
/// The element-wise primitive's host kernel: its vectors compute what its element-by-element
/// reference computes, bit for bit, for every operation and operand kind; the operations mean what
/// the epilogues need (ReLU keeps -0, ReLU6 clamps, biases broadcast along rows or columns); and a
/// call that breaks the shape rules is refused with the rule named.
/// </summary>
public sealed class ElementwiseKernelTests
{
    private static readonly double[] Specials = [0.0, -0.0, 1.0, -1.0, 6.0, double.PositiveInfinity, double.NegativeInfinity, 1e-310, -3.5];

    private static IEnumerable<TestCaseData> Calls()
    {
        foreach (var op in Enum.GetValues<ElementwiseOp>())
        {
            foreach (var kind in Enum.GetValues<ElementwiseOperandKind>())
            {
                yield return new TestCaseData(op, kind).SetArgDisplayNames(op.ToString(), kind.ToString());
            }
        }
    }

    [TestCaseSource(nameof(Calls))]
    public void The_vector_kernel_equals_the_reference_bit_for_bit_in_double(ElementwiseOp op, ElementwiseOperandKind kind)
    {
        var random = new Random(((int)op * 10) + (int)kind);
        for (var trial = 0; trial < 40; trial++)
        {
            int rows = random.Next(1, 14), columns = random.Next(1, 8), count = rows * columns;
            var target = Values(random, count, withNaN: true);
            var first = Values(random, Length(kind, rows, columns), withNaN: false);
            var low = random.NextDouble() - 0.5;
            var expected = (double[])target.Clone();
            var actual = (double[])target.Clone();
            ElementwiseKernel.Reference(op, expected, Input(kind, first, low), ElementwiseInput.Constant(low + 1));
            ElementwiseKernel.Apply(op, actual, Input(kind, first, low), ElementwiseInput.Constant(low + 1));
            Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection, $"{op} {kind}, {rows} x {columns}");
        }
    }

    [TestCaseSource(nameof(Calls))]
    public void The_vector_kernel_equals_the_reference_bit_for_bit_in_float(ElementwiseOp op, ElementwiseOperandKind kind)
    {
        var random = new Random(100 + ((int)op * 10) + (int)kind);
        for (var trial = 0; trial < 40; trial++)
        {
            int rows = random.Next(1, 20), columns = random.Next(1, 6), count = rows * columns;
            var target = Floats(Values(random, count, withNaN: true));
            var first = Floats(Values(random, Length(kind, rows, columns), withNaN: false));
            var high = Floats(Values(random, count, withNaN: false));
            var expected = (float[])target.Clone();
            var actual = (float[])target.Clone();
            var scalar = (float)(random.NextDouble() - 0.5);
            ElementwiseKernel.Reference(op, expected, Input(kind, first, scalar), op == ElementwiseOp.Clamp ? ElementwiseInput.Span<float>(high) : default);
            ElementwiseKernel.Apply(op, actual, Input(kind, first, scalar), op == ElementwiseOp.Clamp ? ElementwiseInput.Span<float>(high) : default);
            Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection, $"{op} {kind}, {rows} x {columns}");
        }
    }

    [Test]
    public void ReLU_is_the_maximum_with_zero_and_keeps_a_negative_zero()
    {
        double[] t = [-1.0, 0.0, -0.0, 2.5, double.NegativeInfinity];
        ElementwiseKernel.Apply(ElementwiseOp.Maximum, t, ElementwiseInput.Constant(0.0));
        Assert.That(Bits.Of(t), Is.EqualTo(Bits.Of([0.0, 0.0, -0.0, 2.5, 0.0])).AsCollection);
    }

    [Test]
    public void ReLU6_clamps_into_zero_to_six()
    {
        float[] t = [-1f, 3f, 6f, 7.5f, float.PositiveInfinity, 0.25f, -2f, 9f, 5.9f];
        ElementwiseKernel.Apply(ElementwiseOp.Clamp, t, ElementwiseInput.Constant(0f), ElementwiseInput.Constant(6f));
        Assert.That(t, Is.EqualTo(new[] { 0f, 3f, 6f, 6f, 6f, 0.25f, 0f, 6f, 5.9f }).AsCollection);
    }

    [Test]
    public void A_per_row_bias_adds_the_row_s_value_and_a_per_column_bias_the_column_s()
    {
        // A 3 x 2 column-major block: element k is row k % 3, column k / 3.
        double[] rows = [0, 0, 0, 0, 0, 0];
        ElementwiseKernel.Apply(ElementwiseOp.Add, rows, ElementwiseInput.PerRow<double>([1.0, 2.0, 3.0]));
        double[] columns = [0, 0, 0, 0, 0, 0];
        ElementwiseKernel.Apply(ElementwiseOp.Add, columns, ElementwiseInput.PerColumn<double>([10.0, 20.0]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Is.EqualTo(new[] { 1.0, 2.0, 3.0, 1.0, 2.0, 3.0 }).AsCollection);
            Assert.That(columns, Is.EqualTo(new[] { 10.0, 10.0, 10.0, 20.0, 20.0, 20.0 }).AsCollection);
        }
    }

    [Test]
    public void A_residual_add_and_a_scale_work_element_by_element()
    {
        double[] t = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        ElementwiseKernel.Apply(ElementwiseOp.Add, t, ElementwiseInput.Span<double>([9, 8, 7, 6, 5, 4, 3, 2, 1]));
        ElementwiseKernel.Apply(ElementwiseOp.Multiply, t, ElementwiseInput.Constant(0.5));
        Assert.That(t, Has.All.EqualTo(5.0));
    }

    [TestCase(ElementwiseOp.Clamp, ElementwiseOperandKind.Scalar, 0, "a span operand of 0 elements must be as long as the target's 6", TestName = "a clamp without its second operand")]
    [TestCase(ElementwiseOp.Add, ElementwiseOperandKind.Span, 5, "a span operand of 5 elements must be as long as the target's 6")]
    [TestCase(ElementwiseOp.Add, ElementwiseOperandKind.PerRow, 4, "a per-row vector of 4 elements must have a positive length that divides the target's 6")]
    [TestCase(ElementwiseOp.Multiply, ElementwiseOperandKind.PerColumn, 0, "a per-column vector of 0 elements")]
    public void A_call_that_breaks_the_shape_rules_is_refused_with_the_rule(ElementwiseOp op, ElementwiseOperandKind kind, int length, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => ElementwiseKernel.Apply(op, new double[6], Input(kind, new double[length], 1.0)));
        Assert.That(error.Message, Does.Contain(rule));
    }

    [Test]
    public void The_rules_name_an_operation_given_the_wrong_number_of_operands() =>
        Assert.That(ElementwiseRules.Violation(ElementwiseOp.Clamp, 6, [(ElementwiseOperandKind.Scalar, 0)]), Is.EqualTo("clamp takes 2 operands, not 1."));

    [Test]
    public void Broadcasts_that_imply_different_rows_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ElementwiseKernel.Apply(ElementwiseOp.Clamp, new double[6], ElementwiseInput.PerRow<double>(new double[3]), ElementwiseInput.PerColumn<double>(new double[3])));
        Assert.That(error.Message, Does.Contain("imply blocks of 3 and of 2 rows"));
    }

    private static int Length(ElementwiseOperandKind kind, int rows, int columns) => kind switch
    {
        ElementwiseOperandKind.PerRow => rows,
        ElementwiseOperandKind.PerColumn => columns,
        ElementwiseOperandKind.Scalar => 0,
        _ => rows * columns,
    };

    private static ElementwiseInput<T> Input<T>(ElementwiseOperandKind kind, T[] values, T scalar)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => kind switch
        {
            ElementwiseOperandKind.PerRow => ElementwiseInput.PerRow<T>(values),
            ElementwiseOperandKind.PerColumn => ElementwiseInput.PerColumn<T>(values),
            ElementwiseOperandKind.Scalar => ElementwiseInput.Constant(scalar),
            _ => ElementwiseInput.Span<T>(values),
        };

    private static double[] Values(Random random, int count, bool withNaN)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.Next(5) == 0 ? Specials[random.Next(Specials.Length)] : Math.ScaleB((random.NextDouble() * 2) - 1, random.Next(-20, 20));
        }

        if (withNaN && count > 2)
        {
            values[random.Next(count)] = double.NaN;
        }

        return values;
    }

    private static float[] Floats(double[] values) => Array.ConvertAll(values, v => (float)v);
}
