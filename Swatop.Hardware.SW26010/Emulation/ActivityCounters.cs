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

    /// <summary>A copy of the tallies as they are now.</summary>
    internal ActivityCounters Copy() => (ActivityCounters)MemberwiseClone();

    /// <summary>What was tallied since the tallies were <paramref name="start"/>.</summary>
    internal ActivityCounters Since(ActivityCounters start) => new()
    {
        DmaGets = DmaGets - start.DmaGets,
        DmaPuts = DmaPuts - start.DmaPuts,
        DmaGetBytes = DmaGetBytes - start.DmaGetBytes,
        DmaPutBytes = DmaPutBytes - start.DmaPutBytes,
        DmaBlocks = DmaBlocks - start.DmaBlocks,
        DmaWaits = DmaWaits - start.DmaWaits,
        RlcPuts = RlcPuts - start.RlcPuts,
        RlcGets = RlcGets - start.RlcGets,
        MeshGemmCalls = MeshGemmCalls - start.MeshGemmCalls,
        Flops = Flops - start.Flops,
        FillElements = FillElements - start.FillElements,
        ConvertElements = ConvertElements - start.ConvertElements,
        CopyElements = CopyElements - start.CopyElements,
        TransposeElements = TransposeElements - start.TransposeElements,
        Synchronizations = Synchronizations - start.Synchronizations,
        SimdLoads = SimdLoads - start.SimdLoads,
        SimdUnalignedLoads = SimdUnalignedLoads - start.SimdUnalignedLoads,
        SimdSplats = SimdSplats - start.SimdSplats,
        SimdGathers = SimdGathers - start.SimdGathers,
        SimdStores = SimdStores - start.SimdStores,
        SimdFmas = SimdFmas - start.SimdFmas,
        SimdArithmetic = SimdArithmetic - start.SimdArithmetic,
    };

    /// <summary>Adds <paramref name="delta"/> to every tally.</summary>
    internal void Add(ActivityCounters delta)
    {
        DmaGets += delta.DmaGets;
        DmaPuts += delta.DmaPuts;
        DmaGetBytes += delta.DmaGetBytes;
        DmaPutBytes += delta.DmaPutBytes;
        DmaBlocks += delta.DmaBlocks;
        DmaWaits += delta.DmaWaits;
        RlcPuts += delta.RlcPuts;
        RlcGets += delta.RlcGets;
        MeshGemmCalls += delta.MeshGemmCalls;
        Flops += delta.Flops;
        FillElements += delta.FillElements;
        ConvertElements += delta.ConvertElements;
        CopyElements += delta.CopyElements;
        TransposeElements += delta.TransposeElements;
        Synchronizations += delta.Synchronizations;
        SimdLoads += delta.SimdLoads;
        SimdUnalignedLoads += delta.SimdUnalignedLoads;
        SimdSplats += delta.SimdSplats;
        SimdGathers += delta.SimdGathers;
        SimdStores += delta.SimdStores;
        SimdFmas += delta.SimdFmas;
        SimdArithmetic += delta.SimdArithmetic;
    }

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
