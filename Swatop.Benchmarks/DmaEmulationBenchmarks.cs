using BenchmarkDotNet.Attributes;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;

namespace Swatop.Benchmarks;

/// <summary>
/// The cost of emulating one 2 KB strided DMA get (descriptor checks, the block gather, the
/// memory controller's timing, the reply word), alone and with its wait, against a plain 2 KB
/// <see cref="Span{T}"/> copy of the same bytes, side by side in one process:
/// <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*DmaEmulation*'</c>.
/// Target: the get costs at most twice the copy.
/// </summary>
[InProcess]
[MemoryDiagnoser]
public class DmaEmulationBenchmarks
{
    private const int Bytes = 2048;
    private Cpe _cpe = null!;
    private LdmBuffer _ldm = null!;
    private GlobalBuffer _memory = null!;
    private ReplyWord _reply = null!;
    private byte[] _source = [];
    private byte[] _destination = [];

    /// <summary>Bytes of one contiguous block of the strided get; the stride between blocks equals it.</summary>
    [Params(128, 256, 512)]
    public int BlockBytes { get; set; }

    /// <summary>Builds one core group and takes its first CPE outside any spawn, as the DMA engine's host.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var chip = new Sw26010Chip(Sw26010Spec.Default with { CoreGroups = 1 }, EmulatorOptions.Sequential);
        var group = chip.CoreGroups[0];
        _cpe = group.Cpes[0];
        _ldm = _cpe.Ldm.Allocate("block", ElementType.Float64, Bytes / sizeof(double));
        _memory = group.Memory.Allocate("tensor", Bytes * 2);
        _reply = _cpe.CreateReplyWord("reply");
        _source = new byte[Bytes];
        _destination = new byte[Bytes];
        new Random(1).NextBytes(_memory.AsSpan<byte>());
    }

    /// <summary>The baseline: a plain span copy of 2 KB.</summary>
    [Benchmark(Baseline = true)]
    public void SpanCopy() => _source.AsSpan().CopyTo(_destination);

    /// <summary>An emulated 2 KB get in blocks of <see cref="BlockBytes"/>, skipping as many bytes between blocks.</summary>
    [Benchmark]
    public void StridedGet()
    {
        _reply.Reset();
        _cpe.DmaGet(_ldm.All, _memory.At(0), _reply, BlockBytes, BlockBytes);
    }

    /// <summary>The same get followed by its wait.</summary>
    [Benchmark]
    public void StridedGetAndWait()
    {
        _reply.Reset();
        _cpe.DmaGet(_ldm.All, _memory.At(0), _reply, BlockBytes, BlockBytes);
        var wait = _cpe.DmaWait(_reply, 1);
        if (!wait.IsCompleted)
        {
            throw new InvalidOperationException("A lone CPE's DMA wait completes at once outside a run.");
        }

        wait.GetAwaiter().GetResult();
    }
}
