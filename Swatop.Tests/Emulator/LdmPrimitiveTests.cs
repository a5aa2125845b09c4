using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>The primitives inside one LDM: fill, float/double conversion, strided block copy.</summary>
public sealed class LdmPrimitiveTests
{
    [Test]
    public void FillSetsExactlyItsSpan()
    {
        var group = Group();
        double[] doubles = [];
        float[] floats = [];
        var report = group.Run(On(3, 3, cpe =>
        {
            var d = cpe.Ldm.Allocate("d", ElementType.Float64, 8);
            cpe.Fill(d.All, -1);
            cpe.Fill(d.Slice(2, 4), 0.1);
            doubles = cpe.Ldm.Doubles(d.All).ToArray();
            var f = cpe.Ldm.Allocate("f", ElementType.Float32, 4);
            cpe.Fill(f.Slice(1, 2), 0.1);
            floats = cpe.Ldm.Floats(f.All).ToArray();
        }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doubles, Is.EqualTo(new[] { -1, -1, 0.1, 0.1, 0.1, 0.1, -1, -1 }));
            Assert.That(floats[1..3], Is.EqualTo(new[] { 0.1f, 0.1f }), "a float fill stores the value rounded to float");
            Assert.That(report.Cpes[27].FillElements, Is.EqualTo(8 + 4 + 2));
        }
    }

    [Test]
    public void ConvertWidensExactlyAndNarrowsToNearest()
    {
        double[] wide = [1.0 / 3, -2.5, 1e40, 16777217, 1e-50, -0.0];
        var group = Group();
        double[] widened = [];
        float[] narrowed = [];
        var report = group.Run(On(0, 7, cpe =>
        {
            var d = cpe.Ldm.Allocate("d", ElementType.Float64, wide.Length);
            var f = cpe.Ldm.Allocate("f", ElementType.Float32, wide.Length);
            var back = cpe.Ldm.Allocate("back", ElementType.Float64, wide.Length);
            wide.CopyTo(cpe.Ldm.Doubles(d.All));
            cpe.Convert(d.All, f.All);
            narrowed = cpe.Ldm.Floats(f.All).ToArray();
            cpe.Convert(f.All, back.All);
            widened = cpe.Ldm.Doubles(back.All).ToArray();
        }));

        float[] expected = [.. wide.Select(x => (float)x)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(narrowed), Is.EqualTo(Bits(expected)));
            Assert.That(Bits(widened), Is.EqualTo(Bits(expected.Select(x => (double)x).ToArray())));
            Assert.That(report.Cpes[7].ConvertElements, Is.EqualTo(2 * wide.Length));
        }
    }

    [Test]
    public void ConvertRefusesSameTypesAndDifferentCounts()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(1, 6, cpe => cpe.Convert(cpe.Ldm.Allocate("x", ElementType.Float64, 4).All, cpe.Ldm.Allocate("y", ElementType.Float64, 4).All))),
            EmulatorDiagnostics.PrimitiveMisuse, Name(1, 6), "'x'[0..4)", "'y'[0..4)", "4 x Float64");
        Throws<EmulatorException>(
            () => group.Run(On(1, 6, cpe => cpe.Convert(cpe.Ldm.Allocate("x", ElementType.Float32, 4).All, cpe.Ldm.Allocate("y", ElementType.Float64, 5).All))),
            EmulatorDiagnostics.PrimitiveMisuse, Name(1, 6), "4 x Float32", "5 x Float64");
    }

    [Test]
    public void CopyMatchesANaiveStridedGather([Values(1, 2, 3, 4)] int seed, [Values] ElementType type)
    {
        var random = new Random(seed);
        int block = random.Next(1, 7), gap = random.Next(0, 5), blocks = random.Next(1, 9), start = random.Next(0, 4);
        var sourceCount = start + ((blocks - 1) * (block + gap)) + block + random.Next(0, 3);
        var values = RandomDoubles(seed, sourceCount).Select(x => type == ElementType.Float32 ? (float)x : x).ToArray();
        var group = Group();
        double[] copied = [];
        var report = group.Run(On(2, 0, cpe =>
        {
            var source = cpe.Ldm.Allocate("source", type, sourceCount);
            var destination = cpe.Ldm.Allocate("destination", type, blocks * block);
            Write(cpe, source, values);
            cpe.Copy(source.Slice(start, sourceCount - start), destination.All, block, gap);
            copied = Read(cpe, destination);
        }));

        var expected = new List<double>();
        for (var b = 0; b < blocks; b++)
        {
            expected.AddRange(values.Skip(start + (b * (block + gap))).Take(block));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(copied, Is.EqualTo(expected));
            Assert.That(report.Cpes[16].CopyElements, Is.EqualTo(blocks * block));
        }
    }

    [TestCase(ElementType.Float32, 8, 4, 2, 1, "the types must match")]
    [TestCase(ElementType.Float64, 8, 3, 2, 1, "divide the destination")]
    [TestCase(ElementType.Float64, 8, 4, 0, 1, "the block size must be positive")]
    [TestCase(ElementType.Float64, 8, 4, 2, -1, "the gap must not be negative")]
    [TestCase(ElementType.Float64, 4, 4, 2, 1, "the 5 elements read must lie inside the 4-element source")]
    [TestCase(ElementType.Float64, 4, 4, 2, 2, "the 6 elements read must lie inside the 4-element source")]
    public void CopyRefusesABrokenLayout(ElementType destinationType, int sourceCount, int destinationCount, int block, int gap, string rule)
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(5, 2, cpe =>
            {
                var source = cpe.Ldm.Allocate("src", ElementType.Float64, sourceCount);
                var destination = cpe.Ldm.Allocate("dst", destinationType, destinationCount);
                cpe.Copy(source.All, destination.All, block, gap);
            })),
            EmulatorDiagnostics.PrimitiveMisuse, Name(5, 2), "'src'", "'dst'", $"Copy of {destinationCount} elements", $"blocks of {block}", rule);
    }

    [Test]
    public void CopyRefusesOverlappingSpans()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(On(5, 2, cpe =>
            {
                var both = cpe.Ldm.Allocate("both", ElementType.Float64, 16);
                cpe.Copy(both.Slice(0, 8), both.Slice(6, 4), 2, 0);
            })),
            EmulatorDiagnostics.PrimitiveMisuse, Name(5, 2), "'both'[0..8)", "'both'[6..10)", "must not overlap");
    }

    private static void Write(ICpe cpe, LdmBuffer buffer, double[] values)
    {
        if (buffer.ElementType == ElementType.Float64)
        {
            values.CopyTo(cpe.Ldm.Doubles(buffer.All));
            return;
        }

        var floats = cpe.Ldm.Floats(buffer.All);
        for (var i = 0; i < values.Length; i++)
        {
            floats[i] = (float)values[i];
        }
    }

    private static double[] Read(ICpe cpe, LdmBuffer buffer) =>
        buffer.ElementType == ElementType.Float64
            ? cpe.Ldm.Doubles(buffer.All).ToArray()
            : [.. cpe.Ldm.Floats(buffer.All).ToArray().Select(x => (double)x)];
}
