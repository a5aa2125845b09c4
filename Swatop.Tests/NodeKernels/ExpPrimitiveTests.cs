using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;
using Swatop.Tests.Emit;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.NodeKernels;

/// <summary>
/// The exponential primitive (<see cref="ExpKernel"/>, the <see cref="Exponential"/> statement): IEEE exp's special
/// values, its error against <see cref="Math.Exp"/> over a sweep (at most 1 ulp in double and in float), its IR text,
/// and the emitted C's vector form computing the emulator's bits with the emulator's counts on the shim.
/// </summary>
public sealed class ExpPrimitiveTests
{
    private static IEnumerable<TestCaseData> SpecialValues()
    {
        yield return new TestCaseData(double.NaN, double.NaN).SetName("Exp_of_NaN_is_NaN");
        yield return new TestCaseData(double.PositiveInfinity, double.PositiveInfinity).SetName("Exp_of_plus_infinity_is_plus_infinity");
        yield return new TestCaseData(double.NegativeInfinity, 0.0).SetName("Exp_of_minus_infinity_is_plus_zero");
        yield return new TestCaseData(0.0, 1.0).SetName("Exp_of_zero_is_one");
        yield return new TestCaseData(-0.0, 1.0).SetName("Exp_of_minus_zero_is_one");
        yield return new TestCaseData(1e-300, 1.0).SetName("Exp_of_a_tiny_argument_is_one");
        yield return new TestCaseData(710.0, double.PositiveInfinity).SetName("Exp_above_the_overflow_threshold_is_plus_infinity");
        yield return new TestCaseData(double.MaxValue, double.PositiveInfinity).SetName("Exp_of_the_largest_double_is_plus_infinity");
        yield return new TestCaseData(-746.0, 0.0).SetName("Exp_below_the_underflow_threshold_is_plus_zero");
        yield return new TestCaseData(double.MinValue, 0.0).SetName("Exp_of_the_most_negative_double_is_plus_zero");
        yield return new TestCaseData(-745.0, double.Epsilon).SetName("Exp_near_the_underflow_threshold_is_the_smallest_subnormal");
    }

    [TestCaseSource(nameof(SpecialValues))]
    public void Special_values_come_out_as_IEEE_exp_gives_them(double x, double expected)
    {
        var y = ExpKernel.Exp(x);
        Assert.That(BitConverter.DoubleToInt64Bits(y), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"exp({x:R}) = {y:R}");
    }

    [Test]
    public void Special_values_of_the_float_form_come_out_as_IEEE_expf_gives_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(float.IsNaN(ExpKernel.Exp(float.NaN)));
            Assert.That(ExpKernel.Exp(float.PositiveInfinity), Is.EqualTo(float.PositiveInfinity));
            Assert.That(BitConverter.SingleToInt32Bits(ExpKernel.Exp(float.NegativeInfinity)), Is.Zero);
            Assert.That(ExpKernel.Exp(89f), Is.EqualTo(float.PositiveInfinity), "float overflows from 88.73");
            Assert.That(ExpKernel.Exp(88.7f), Is.LessThan(float.MaxValue));
            Assert.That(BitConverter.SingleToInt32Bits(ExpKernel.Exp(-104f)), Is.Zero, "float underflows below -103.97");
            Assert.That(ExpKernel.Exp(-103f), Is.GreaterThan(0f), "a subnormal float");
            Assert.That(ExpKernel.Exp(-0f), Is.EqualTo(1f));
        });
    }

    [Test]
    public void Double_exp_is_within_1_ulp_of_Math_Exp_over_a_sweep_of_its_whole_range()
    {
        var (worst, at, exact, count) = (0L, 0.0, 0, 0);
        foreach (var x in Sweep(200_000))
        {
            var ulps = Ulps(ExpKernel.Exp(x), Math.Exp(x));
            (worst, at) = ulps > worst ? (ulps, x) : (worst, at);
            exact += ulps == 0 ? 1 : 0;
            count++;
        }

        Assert.Multiple(() =>
        {
            Assert.That(worst, Is.LessThanOrEqualTo(1), string.Create(CultureInfo.InvariantCulture, $"{worst} ulps at {at:R}"));
            Assert.That(exact, Is.GreaterThan(count * 3 / 4), "most results are Math.Exp's bits");
        });
    }

    [Test]
    public void Float_exp_is_within_1_ulp_of_Math_Exp_rounded_to_float_over_a_sweep()
    {
        var random = new Random(7);
        var worst = 0;
        var at = 0f;
        for (var i = 0; i < 200_000; i++)
        {
            var x = (float)((random.NextDouble() * 192) - 104);
            var ulps = Math.Abs(BitConverter.SingleToInt32Bits(ExpKernel.Exp(x)) - BitConverter.SingleToInt32Bits((float)Math.Exp(x)));
            (worst, at) = ulps > worst ? (ulps, x) : (worst, at);
        }

        Assert.That(worst, Is.LessThanOrEqualTo(1), string.Create(CultureInfo.InvariantCulture, $"{worst} ulps at {at:R}"));
    }

    [Test]
    public void The_exp_statement_prints_and_parses_back()
    {
        var statement = new Exponential(new LdmRef("a", 1, 34));
        var text = statement.ToString().Trim();
        Assert.That(text, Is.EqualTo("exp a[1 +: 34]"));
        var kernel = Kernel(ElementType.Float64).ToString();
        Assert.That(kernel, Does.Contain("exp a[1 +: 34]"));
        Assert.That(IrParser.ParseKernel(kernel).ToString(), Is.EqualTo(kernel));
    }

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void The_emitted_C_computes_the_emulator_s_exponential_bit_for_bit_with_the_same_counts(ElementType type)
    {
        var kernel = Kernel(type);
        var x = Input();
        var group = Group();
        var tensors = new Dictionary<string, Hardware.Sw26010.Emulation.GlobalBuffer>(StringComparer.Ordinal)
        {
            ["x"] = Buffer(group, "x", type, x),
            ["y"] = Buffer(group, "y", type, new double[x.Length]),
        };
        var report = group.Run(CompiledKernel.Compile(kernel).Program(tensors));
        var emulated = Widened(tensors["y"], type);
        using var build = IrKernelHostBuild.Build(kernel);
        IrKernelHostBuild.WriteInput(build, kernel, "x", x);
        var run = build.Run();
        build.CompareBits("y from the emitted C against the emulator", emulated, IrKernelHostBuild.ReadOutput(build, kernel, "y"));
        build.CompareCounts(run, report.Cpes);
        var expected = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var k = i % Chunk;
            var inside = k >= 1 && k < 1 + Count;
            expected[i] = type == ElementType.Float32
                ? inside ? ExpKernel.Exp((float)x[i]) : (float)x[i]
                : inside ? ExpKernel.Exp(x[i]) : x[i];
        }

        build.CompareBits("y from the emulator against ExpKernel", expected, emulated);
        Assert.That(CpeFilePrinter.Print(kernel, tiles: null, "/* */"), Does.Contain($"swatop_exp_{(type == ElementType.Float32 ? "f" : "d")}(a + 1, 34);"));
    }

    private const int Chunk = 37;
    private const int Count = 34;

    /// <summary>Each CPE gets a chunk of 37 elements and takes the exponential of 34 of them from the second on: a scalar head of 3, 7 vectors, a tail of 3.</summary>
    private static LoopKernel Kernel(ElementType type) => IrParser.ParseKernel($$"""
        kernel exp_x {{(type == ElementType.Float32 ? "float32" : "float64")}}
        tensor x[{{64 * Chunk}}] in
        tensor y[{{64 * Chunk}}] out
        buffer a[{{Chunk}}]
        reply q
        body {
          reset q
          get a[0 +: {{Chunk}}] <- x[(row * 8 + col) * {{Chunk}}] block 0 gap 0 reply q
          wait q
          exp a[1 +: {{Count}}]
          reset q
          put a[0 +: {{Chunk}}] -> y[(row * 8 + col) * {{Chunk}}] block 0 gap 0 reply q
          wait q
        }
        """);

    /// <summary>The special values, then arguments over exp's whole range and around 0.</summary>
    private static double[] Input()
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 710, -746, -745, 709.78, -740, 88.7, 89, -103, -104, 1e-300, 1];
        var random = new Random(3);
        var x = new double[64 * Chunk];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i % 2 == 0 ? (random.NextDouble() * 1460) - 748 : (random.NextDouble() * 4) - 2;
        }

        for (var s = 0; s < special.Length; s++)
        {
            x[(s * 41) + 1] = special[s];
        }

        return x;
    }

    /// <summary>Evenly spread arguments over [-745.2, 709.8] and random ones in [-2, 2].</summary>
    private static IEnumerable<double> Sweep(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return -745.2 + (1455.0 * i / count);
        }

        var random = new Random(11);
        for (var i = 0; i < count; i++)
        {
            yield return (random.NextDouble() * 4) - 2;
        }
    }

    /// <summary>The doubles between two positive values (their bit patterns' distance).</summary>
    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));
}
