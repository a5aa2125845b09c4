using System.Globalization;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The CPE's DMA engine in PE mode: strided gets and puts with reply words.</summary>
internal sealed partial class Cpe
{
    /// <summary>Sizes, offsets, block sizes and strides of a DMA are multiples of this many bytes (one float).</summary>
    internal const int DmaGranuleBytes = 4;

    /// <inheritdoc />
    public void DmaGet(LdmSpan destination, GlobalAddress source, ReplyWord reply, int blockBytes = 0, int strideBytes = 0) =>
        DmaGet(destination, source, reply, blockBytes, strideBytes, site: null);

    /// <inheritdoc />
    public void DmaPut(LdmSpan source, GlobalAddress destination, ReplyWord reply, int blockBytes = 0, int strideBytes = 0) =>
        DmaPut(source, destination, reply, blockBytes, strideBytes, site: null);

    /// <summary><see cref="DmaGet(LdmSpan, GlobalAddress, ReplyWord, int, int)"/>; <paramref name="site"/> (a statement) names the transfer in race reports.</summary>
    internal void DmaGet(LdmSpan destination, GlobalAddress source, ReplyWord reply, int blockBytes, int strideBytes, object? site)
    {
        var blocks = CheckDma("get", destination, source, reply, blockBytes, strideBytes, out var block);
        Ldm.Pending.Issue(destination, isGet: true, reply, site);
        if (!_timingOnly)
        {
            // The descriptor and both extents are checked above.
            StridedCopy.GatherUnchecked(ref source.Buffer.ByteAt(source.ByteOffset), ref Ldm.RawStart(destination), destination.ByteLength, block, strideBytes);
        }

        Counters.DmaGets++;
        Counters.DmaGetBytes += destination.ByteLength;
        Counters.DmaBlocks += blocks;
        Issue(reply, isGet: true, blocks, block, strideBytes, source);
    }

    /// <summary><see cref="DmaPut(LdmSpan, GlobalAddress, ReplyWord, int, int)"/>; <paramref name="site"/> (a statement) names the transfer in race reports.</summary>
    internal void DmaPut(LdmSpan source, GlobalAddress destination, ReplyWord reply, int blockBytes, int strideBytes, object? site)
    {
        var blocks = CheckDma("put", source, destination, reply, blockBytes, strideBytes, out var block);
        if (destination.Buffer.IsReadOnly)
        {
            throw new EmulatorException(EmulatorDiagnostics.PutIntoReadOnlyBuffer, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: DMA put of {source.ByteLength} bytes into {destination.Buffer}: the buffer is a framework's input read where it lies, which a kernel reads and never writes."));
        }

        Ldm.Pending.Issue(source, isGet: false, reply, site);
        if (!_timingOnly)
        {
            StridedCopy.ScatterUnchecked(ref Ldm.RawStart(source), ref destination.Buffer.ByteAt(destination.ByteOffset), source.ByteLength, block, strideBytes);
        }

        Counters.DmaPuts++;
        Counters.DmaPutBytes += source.ByteLength;
        Counters.DmaBlocks += blocks;
        Issue(reply, isGet: false, blocks, block, strideBytes, destination);
    }

    /// <inheritdoc />
    public ValueTask DmaWait(ReplyWord reply, int count) => DmaWaitCore(reply, count).AsValueTask();

    /// <summary><see cref="DmaWait"/> as the emulator's own programs await it.</summary>
    internal CpeWait DmaWaitCore(ReplyWord reply, int count)
    {
        ArgumentNullException.ThrowIfNull(reply);
        CheckReplyOwner(reply);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Counters.DmaWaits++;
        if (count > reply.Issued)
        {
            throw WaitBeyondIssued(reply, count);
        }

        if (count == 0)
        {
            return default;
        }

        // From here on the program may touch what the covered transfers moved: it runs on only once they have.
        Ldm.Pending.Cover(reply, count);

        // Replies of one CPE arrive in issue order (the controller serves in order), so the count is
        // reached when the count-th request issued against the word completes.
        var request = reply[count - 1];
        if (!request.IsServed)
        {
            _group.Controller.ServeUpTo(_group.Scheduler.Horizon);
        }

        if (!request.IsServed)
        {
            return AwaitService(request);
        }

        Clock.WaitUntil(request.CompletionCycle, WaitKind.Dma);
        return default;
    }

    private DeadlockException WaitBeyondIssued(ReplyWord reply, int count) => new(string.Create(CultureInfo.InvariantCulture,
        $"{Id} waits for {count} replies on {reply.Name} but only {reply.Issued} transfers were issued against it since it was last reset; no other CPE can complete them, so the real machine would hang here."),
        [Id]);

    /// <summary>Issues the request to the controller; the data has already moved (or, timing only, never will).</summary>
    private void Issue(ReplyWord reply, bool isGet, int blocks, int block, int strideBytes, GlobalAddress remote)
    {
        Clock.Spend(_dmaIssueCycles);
        var aligned = DmaBlockAlignment.AlignedWideBlocks(remote.Absolute, blocks, block, strideBytes);
        var request = reply.Next(isGet, blocks, block, Clock.Now, remote.Buffer.IsShared, aligned);
        _group.Controller.Submit(IdInGroup, request, _group.Scheduler);
    }

    private int CheckDma(string operation, LdmSpan local, GlobalAddress remote, ReplyWord reply, int blockBytes, int strideBytes, out int block)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(remote.Buffer);
        Ldm.CheckOwned(local.Buffer);
        CheckReplyOwner(reply);
        var size = local.ByteLength;
        block = blockBytes == 0 ? size : blockBytes;
        if (size <= 0 || blockBytes < 0 || strideBytes < 0 || (blockBytes == 0 && strideBytes != 0) || size % block != 0
            || ((size | block | strideBytes | local.LdmByteOffset | (int)(remote.Absolute % DmaGranuleBytes)) % DmaGranuleBytes) != 0)
        {
            throw InvalidDescriptor(operation, local, remote, blockBytes, strideBytes);
        }

        var blocks = size / block;
        var extent = ((long)(blocks - 1) * (block + strideBytes)) + block;
        if (!remote.Buffer.IsReachableFrom(Id.CoreGroup) || remote.ByteOffset + extent > remote.Buffer.ByteLength)
        {
            throw OutOfReach(operation, remote, size, blocks, block, strideBytes, extent);
        }

        return blocks;
    }

    private EmulatorException OutOfReach(string operation, GlobalAddress remote, int size, int blocks, int block, int strideBytes, long extent) =>
        !remote.Buffer.IsReachableFrom(Id.CoreGroup)
            ? new EmulatorException(EmulatorDiagnostics.DmaOutOfBounds,
                $"{Id}: DMA {operation} of {size} bytes reaches main-memory buffer '{remote.Buffer.Name}' of CG {remote.Buffer.CoreGroup}; a CPE's DMA reaches only its own core group's memory and the shared memory.")
            : new EmulatorException(EmulatorDiagnostics.DmaOutOfBounds, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: DMA {operation} of {size} bytes ({blocks} blocks of {block} bytes, stride {strideBytes}) spans bytes [{remote.ByteOffset}, {remote.ByteOffset + extent}) of main-memory buffer '{remote.Buffer.Name}', which has {remote.Buffer.ByteLength} bytes."));

    private EmulatorException InvalidDescriptor(string operation, LdmSpan local, GlobalAddress remote, int blockBytes, int strideBytes)
    {
        var size = local.ByteLength;
        var rule = size <= 0 ? "the size must be positive"
            : blockBytes < 0 ? "the block size must not be negative"
            : strideBytes < 0 ? "the stride must not be negative"
            : blockBytes == 0 && strideBytes != 0 ? "a stride needs a block size"
            : size % (blockBytes == 0 ? size : blockBytes) != 0 ? "the block size must divide the size"
            : $"the size, block size, stride, LDM address and memory address must be multiples of {DmaGranuleBytes} bytes";
        return new EmulatorException(EmulatorDiagnostics.InvalidDmaDescriptor, string.Create(CultureInfo.InvariantCulture,
            $"{Id}: DMA {operation} between LDM buffer '{local.Buffer.Name}' (LDM address {local.LdmByteOffset}) and {remote} (address 0x{remote.Absolute:x}) with size {size}, block size {blockBytes}, stride {strideBytes}: {rule}."));
    }

    private void CheckReplyOwner(ReplyWord reply)
    {
        if (!reply.BelongsTo(this))
        {
            throw ForeignReplyWord(reply);
        }
    }

    private EmulatorException ForeignReplyWord(ReplyWord reply) => new(EmulatorDiagnostics.ForeignLdmAccess,
        $"{Id} used {reply}: a reply word lives in its CPE's LDM and only that CPE may use it.");
}
