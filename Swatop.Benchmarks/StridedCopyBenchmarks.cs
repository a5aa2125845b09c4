using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// A 2 KB strided DMA get (<see cref="StridedCopy.Gather"/>) against a plain 2 KB span copy:
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*StridedCopy*'</c>.
/// The gap is seven blocks, as in swDNN's input and weight gets (every CPE of a mesh row takes
/// one block in eight).
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class StridedCopyBenchmarks
{
    /// <summary>Bytes moved per invocation.</summary>
    public const int TotalBytes = 2048;

    /// <summary>Alignment of every buffer, as athread asks of DMA memory.</summary>
    public const int Alignment = 128;

    private Memory<byte> _strided;
    private Memory<byte> _contiguous;
    private Memory<byte> _destination;

    /// <summary>Bytes past the alignment every buffer starts at: 0 (aligned) or 8 (only element-aligned, like a managed double array).</summary>
    [Params(0, 8)]
    public int MisalignBytes { get; set; }

    /// <summary>Bytes of a block.</summary>
    [Params(32, 128, 512)]
    public int BlockBytes { get; set; }

    /// <summary>Allocates the strided source and the destinations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _strided = Aligned((int)StridedCopy.StridedExtent(TotalBytes, BlockBytes, 7 * BlockBytes));
        _contiguous = Aligned(TotalBytes);
        _destination = Aligned(TotalBytes);
        new Random(1).NextBytes(_strided.Span);
        new Random(2).NextBytes(_contiguous.Span);
    }

    /// <summary>A <see cref="Alignment"/>-aligned window of a pinned array, so runs do not differ by alignment.</summary>
    private Memory<byte> Aligned(int length)
    {
        byte[] array = GC.AllocateArray<byte>(length + Alignment + MisalignBytes, pinned: true);
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject();
        handle.Free();
        int offset = (int)((Alignment - (address % Alignment)) % Alignment) + MisalignBytes;
        return array.AsMemory(offset, length);
    }

    /// <summary>The plain 2 KB span copy.</summary>
    [Benchmark(Baseline = true)]
    public void SpanCopy() => _contiguous.Span.CopyTo(_destination.Span);

    /// <summary>The 2 KB strided get: blocks of <see cref="BlockBytes"/>, gaps of seven blocks.</summary>
    [Benchmark]
    public void StridedGather() => StridedCopy.Gather(_strided.Span, _destination.Span, TotalBytes, BlockBytes, 7 * BlockBytes);
}
