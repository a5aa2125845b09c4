using Swatop.Primitives;

namespace Swatop.Tests.PrimitiveKernels;

public sealed class StridedCopyTests
{
    [Test]
    public void GatherMatchesNaiveLoop([Range(1, 4)] int seed)
    {
        var random = new Random(seed);
        for (int s = 0; s < 200; s++)
        {
            (int total, int block, int gap) = RandomTransfer(random);
            byte[] source = Bytes(random, (int)StridedCopy.StridedExtent(total, block, gap) + random.Next(4));
            byte[] expected = Bytes(random, total + random.Next(4));
            byte[] actual = (byte[])expected.Clone();

            for (int i = 0; i < total; i++)
            {
                expected[i] = source[(i / block * (block + gap)) + (i % block)];
            }

            StridedCopy.Gather(source, actual, total, block, gap);
            Assert.That(actual, Is.EqualTo(expected).AsCollection, $"total={total} block={block} gap={gap}");
        }
    }

    [Test]
    public void ScatterMatchesNaiveLoopAndKeepsGaps([Range(1, 4)] int seed)
    {
        var random = new Random(seed);
        for (int s = 0; s < 200; s++)
        {
            (int total, int block, int gap) = RandomTransfer(random);
            byte[] source = Bytes(random, total + random.Next(4));
            byte[] expected = Bytes(random, (int)StridedCopy.StridedExtent(total, block, gap) + random.Next(4));
            byte[] actual = (byte[])expected.Clone();

            for (int i = 0; i < total; i++)
            {
                expected[(i / block * (block + gap)) + (i % block)] = source[i];
            }

            StridedCopy.Scatter(source, actual, total, block, gap);
            Assert.That(actual, Is.EqualTo(expected).AsCollection, $"total={total} block={block} gap={gap}");
        }
    }

    [Test]
    public void ScatterThenGatherRoundTrips([Values(0, 1, 24, 56)] int gap)
    {
        var random = new Random(gap);
        byte[] original = Bytes(random, 2048);
        byte[] strided = new byte[StridedCopy.StridedExtent(2048, 64, gap)];
        byte[] back = new byte[2048];
        StridedCopy.Scatter(original, strided, 2048, 64, gap);
        StridedCopy.Gather(strided, back, 2048, 64, gap);
        Assert.That(back, Is.EqualTo(original).AsCollection);
    }

    [Test]
    public void EmptyTransferIsANoOp()
    {
        byte[] destination = [7, 7];
        StridedCopy.Gather([], destination, 0, 8, 8);
        StridedCopy.Scatter([], [], 0, 8, 8);
        Assert.That(destination, Is.EqualTo(new byte[] { 7, 7 }).AsCollection);
        Assert.That(StridedCopy.StridedExtent(0, 8, 8), Is.Zero);
    }

    [Test]
    public void StridedExtentCountsGapsBetweenBlocksOnly() =>
        Assert.That(StridedCopy.StridedExtent(totalBytes: 96, blockBytes: 32, gapBytes: 224), Is.EqualTo((2 * 256) + 32));

    [Test]
    public void NegativeTotalIsRejected() =>
        Must.ThrowOutOfRange(() => StridedCopy.Gather(new byte[8], new byte[8], -8, 8, 0), "totalBytes", "-8");

    [Test]
    public void NonPositiveBlockIsRejected() =>
        Must.ThrowOutOfRange(() => StridedCopy.Gather(new byte[8], new byte[8], 8, 0, 0), "blockBytes", "blockBytes = 0");

    [Test]
    public void NegativeGapIsRejected() =>
        Must.ThrowOutOfRange(() => StridedCopy.Scatter(new byte[8], new byte[8], 8, 4, -1), "gapBytes", "-1");

    [Test]
    public void BlockMustDivideTotal() =>
        Must.ThrowOutOfRange(() => StridedCopy.Gather(new byte[64], new byte[64], 20, 8, 0), "blockBytes", "totalBytes = 20");

    [Test]
    public void ShortStridedSourceIsRejected() =>
        Must.ThrowArgument(() => StridedCopy.Gather(new byte[23], new byte[16], 16, 8, 8), "source", "source.Length = 23");

    [Test]
    public void ShortContiguousDestinationIsRejected() =>
        Must.ThrowArgument(() => StridedCopy.Gather(new byte[24], new byte[15], 16, 8, 8), "destination", "destination.Length = 15");

    [Test]
    public void ShortStridedDestinationIsRejected() =>
        Must.ThrowArgument(() => StridedCopy.Scatter(new byte[16], new byte[20], 16, 8, 8), "destination", "destination.Length = 20");

    [Test]
    public void ShortContiguousSourceIsRejected() =>
        Must.ThrowArgument(() => StridedCopy.Scatter(new byte[10], new byte[24], 16, 8, 8), "source", "source.Length = 10");

    [Test]
    public void OverlappingSpansAreRejected()
    {
        byte[] memory = new byte[64];
        Must.ThrowArgument(() => StridedCopy.Gather(memory.AsSpan(0, 24), memory.AsSpan(16, 16), 16, 8, 8), "destination", "overlaps");
    }

    private static (int Total, int Block, int Gap) RandomTransfer(Random random)
    {
        // Every size class of the block mover: 1-3, 4-7, 8-15, 16-31, 32-64, 65-128, more, 4 KB and up;
        // exact powers of two take the one-move path.
        int block = random.Next(6) switch
        {
            0 => random.Next(1, 17),
            1 => 8 * random.Next(1, 33),
            2 => random.Next(1, 300),
            3 => random.Next(4000, 4400),
            4 => 1 << random.Next(0, 13),
            _ => 32,
        };
        int blocks = random.Next(0, 20);
        int gap = random.Next(3) == 0 ? 0 : random.Next(1, 200);
        return (blocks * block, block, gap);
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
