namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The mutable tallies behind a <see cref="CpeActivity"/>, kept by each CPE during a run.</summary>
internal sealed class ActivityCounters
{
#pragma warning disable SA1401, CA1051 // plain tallies, incremented on hot paths
    internal long DmaGets;
    internal long DmaPuts;
    internal long DmaGetBytes;
    internal long DmaPutBytes;
    internal long DmaBlocks;
    internal long DmaWaits;
    internal long RlcPuts;
    internal long RlcGets;
    internal long MeshGemmCalls;
    internal long Flops;
    internal long FillElements;
    internal long ConvertElements;
    internal long CopyElements;
    internal long TransposeElements;
    internal long Synchronizations;
    internal long SimdLoads;
    internal long SimdUnalignedLoads;
    internal long SimdSplats;
    internal long SimdGathers;
    internal long SimdStores;
    internal long SimdFmas;
    internal long SimdArithmetic;
#pragma warning restore SA1401, CA1051

    internal CpeActivity Snapshot() => new()
    {
        DmaGets = DmaGets,
        DmaPuts = DmaPuts,
        DmaGetBytes = DmaGetBytes,
        DmaPutBytes = DmaPutBytes,
        DmaBlocks = DmaBlocks,
        DmaWaits = DmaWaits,
        RlcPuts = RlcPuts,
        RlcGets = RlcGets,
        MeshGemmCalls = MeshGemmCalls,
        Flops = Flops,
        FillElements = FillElements,
        ConvertElements = ConvertElements,
        CopyElements = CopyElements,
        TransposeElements = TransposeElements,
        Synchronizations = Synchronizations,
        SimdLoads = SimdLoads,
        SimdUnalignedLoads = SimdUnalignedLoads,
        SimdSplats = SimdSplats,
        SimdGathers = SimdGathers,
        SimdStores = SimdStores,
        SimdFmas = SimdFmas,
        SimdArithmetic = SimdArithmetic,
    };
}
