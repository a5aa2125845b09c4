using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

public sealed class ElementwiseTests
{
    private static readonly double[] SpecialDoubles =
    [
        0.0, -0.0, 1.0, -1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
        double.MaxValue, -double.MaxValue, double.Epsilon, 1e-40, float.MaxValue, 3.4028235677973366e38,
        1.0 + Math.ScaleB(1, -24), 1.0 + Math.ScaleB(3, -24), 1.0 + Math.ScaleB(1, -24) + Math.ScaleB(1, -40),
        Math.PI, -Math.E,
    ];

    [Test]
    public void ToSingleRoundsLikeTheCast([Values(0, 1, 7, 16, 33, 100)] int length)
    {
        var random = new Random(length);
        double[] source = new double[length + SpecialDoubles.Length];
        for (int i = 0; i < length; i++)
        {
            source[i] = Math.ScaleB((random.NextDouble() * 2) - 1, random.Next(-140, 140));
        }

        SpecialDoubles.CopyTo(source, length);
        float[] actual = new float[source.Length];
        ElementConvert.ToSingle(source, actual);
        float[] expected = Array.ConvertAll(source, x => (float)x);
        Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection);
    }

    [Test]
    public void ToSingleRoundsHalfwayToEven()
    {
        float[] actual = new float[2];
        ElementConvert.ToSingle([1.0 + Math.ScaleB(1, -24), 1.0 + Math.ScaleB(3, -24)], actual);
        Assert.That(actual, Is.EqualTo(new[] { 1.0f, 1.0f + MathF.ScaleB(1, -22) }).AsCollection);
    }

    [Test]
    public void ToDoubleIsExact([Values(0, 5, 16, 67)] int length)
    {
        var random = new Random(length);
        float[] source = new float[length + 5];
        for (int i = 0; i < length; i++)
        {
            source[i] = MathF.ScaleB((random.NextSingle() * 2) - 1, random.Next(-130, 128));
        }

        source[length] = float.NaN;
        source[length + 1] = -0.0f;
        source[length + 2] = float.NegativeInfinity;
        source[length + 3] = float.Epsilon;
        source[length + 4] = float.MaxValue;
        double[] actual = new double[source.Length + 2];
        ElementConvert.ToDouble(source, actual);
        double[] expected = [.. Array.ConvertAll(source, x => (double)x), 0, 0];
        Assert.That(Bits.Of(actual), Is.EqualTo(Bits.Of(expected)).AsCollection);
    }

    [Test]
    public void ShortDestinationsAreRejected()
    {
        Must.ThrowArgument(() => ElementConvert.ToSingle(new double[5], new float[4]), "destination", "destination.Length = 4");
        Must.ThrowArgument(() => ElementConvert.ToDouble(new float[5], new double[3]), "destination", "destination.Length = 3");
    }

    [Test]
    public void FillSetsEveryElement()
    {
        double[] doubles = new double[37];
        float[] floats = new float[19];
        BlockFill.Fill(doubles, -2.5);
        BlockFill.Fill(floats, 0.75f);
        Assert.That(doubles, Is.All.EqualTo(-2.5));
        Assert.That(floats, Is.All.EqualTo(0.75f));
    }

    [Test]
    public void ZeroClearsEveryElementToPositiveZero()
    {
        double[] doubles = [1, -0.0, 3];
        float[] floats = [4, 5];
        BlockFill.Zero(doubles);
        BlockFill.Zero(floats);
        Assert.That(Bits.Of(doubles), Is.All.Zero);
        Assert.That(Bits.Of(floats), Is.All.Zero);
    }
}
