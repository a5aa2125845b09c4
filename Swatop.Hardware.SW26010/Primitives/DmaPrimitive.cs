using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// DMA in PE mode: a get or a put moves a run of LDM elements from or to main memory in blocks of a
/// size that lie a gap apart in main memory, LDM always contiguous (<see cref="StridedCopy"/>: a get
/// gathers, a put scatters), and a wait returns once a reply word counts the transfers issued against
/// it. A transfer costs the issuing CPE <see cref="Sw26010Timing.DmaIssueCycles"/>; the core group's
/// memory controller serves it in <see cref="ServiceNanoseconds"/> and its reply arrives
/// <see cref="DmaTimingModel.LatencyNanoseconds"/> later. A wait costs nothing of its own: the CPE's
/// clock moves to the arrival of the last reply it waits for.
/// </summary>
internal static class DmaPrimitive
{
    /// <summary>The get's description.</summary>
    public static PrimitiveDescription Get { get; } = new(
        "DMA get",
        $"the LDM run receives blocks of main memory that lie a gap apart ({nameof(StridedCopy)}.{nameof(StridedCopy.Gather)}); the reply word counts the completion",
        ["swatop_get_d", "swatop_get_f"],
        null,
        [ActivityColumns.DmaGets, ActivityColumns.DmaGetBytes, ActivityColumns.DmaBlocks]);

    /// <summary>The put's description.</summary>
    public static PrimitiveDescription Put { get; } = new(
        "DMA put",
        $"the LDM run is written to blocks of main memory that lie a gap apart ({nameof(StridedCopy)}.{nameof(StridedCopy.Scatter)}); the reply word counts the completion",
        ["swatop_put_d", "swatop_put_f"],
        null,
        [ActivityColumns.DmaPuts, ActivityColumns.DmaPutBytes, ActivityColumns.DmaBlocks]);

    /// <summary>The wait's description.</summary>
    public static PrimitiveDescription Wait { get; } = new(
        "DMA wait",
        "returns once the reply word counts the given number of completed transfers; a wait for more than were issued never returns",
        ["swatop_dma_wait"],
        null,
        [ActivityColumns.DmaWaits]);

    /// <summary>The memory controller's time for one request of <paramref name="blocks"/> blocks and <paramref name="bytes"/> bytes.</summary>
    public static double ServiceNanoseconds(DmaTimingModel model, bool isGet, int blocks, long bytes, bool crossSegment = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.RequestNanoseconds
            + (blocks * (isGet ? model.GetBlockNanoseconds : model.PutBlockNanoseconds))
            + (bytes * (isGet ? model.GetNanosecondsPerByte : model.PutNanosecondsPerByte) * (crossSegment ? model.CrossSegmentByteFactor : 1));
    }

    /// <summary>
    /// The C statement of a transfer of <paramref name="count"/> elements between the tensor address
    /// <paramref name="memory"/> and the LDM address <paramref name="ldm"/>, in blocks of
    /// <paramref name="block"/> elements <paramref name="gap"/> apart, counted by reply word <paramref name="reply"/>.
    /// </summary>
    public static string TransferCall(bool isGet, ElementType type, string memory, string ldm, string count, string block, string gap, string reply) => isGet
        ? $"swatop_get_{PrimitiveDescription.Suffix(type)}({memory}, {ldm}, {count}, {block}, {gap}, &{reply});"
        : $"swatop_put_{PrimitiveDescription.Suffix(type)}({ldm}, {memory}, {count}, {block}, {gap}, &{reply});";

    /// <summary>The C statement that waits until <paramref name="reply"/> counts <paramref name="issued"/> transfers.</summary>
    public static string WaitCall(string reply, string issued) => $"swatop_dma_wait(&{reply}, {issued});";
}
