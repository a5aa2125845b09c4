using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// The state of one CPE running a compiled kernel: its variable slots (the built-ins first), its
/// LDM buffers and their turn bits, its reply words and the tensors bound to the program. Created
/// once per CPE and spawn; statements only read and write its arrays.
/// </summary>
internal sealed class ExecutionFrame
{
    /// <summary>Slot of the built-in <c>row</c>.</summary>
    public const int RowSlot = 0;

    /// <summary>Slot of the built-in <c>col</c>.</summary>
    public const int ColumnSlot = 1;

    /// <summary>Slot of the built-in <c>cg</c>.</summary>
    public const int GroupSlot = 2;

    /// <summary>Slots taken by the built-ins; loop and let variables follow.</summary>
    public const int BuiltInSlots = 3;

    private long[]?[]? _regionKeys;

    public ExecutionFrame(string kernel, Cpe cpe, int slots, int buffers, int replies, GlobalBuffer[] tensors)
    {
        Kernel = kernel;
        Cpe = cpe;
        Slots = new long[slots];
        Buffers = new LdmBuffer[buffers];
        Turns = new int[buffers];
        Replies = new ReplyWord[replies];
        Tensors = tensors;
        Slots[RowSlot] = cpe.Id.Row;
        Slots[ColumnSlot] = cpe.Id.Column;
        Slots[GroupSlot] = cpe.Id.CoreGroup;
    }

    /// <summary>The kernel's name, for messages.</summary>
    public string Kernel { get; }

    /// <summary>The emulated CPE: the code awaits its operations without task machinery.</summary>
    public Cpe Cpe { get; }

    /// <summary>Variable values by slot.</summary>
    public long[] Slots { get; }

    /// <summary>The emulator's buffer for each kernel buffer, by declaration index; a double buffer holds both halves.</summary>
    public LdmBuffer[] Buffers { get; }

    /// <summary>The turn bit of each buffer: the half <c>Current</c> names (always 0 for single buffers).</summary>
    public int[] Turns { get; }

    /// <summary>The reply words, by declaration index.</summary>
    public ReplyWord[] Replies { get; }

    /// <summary>The bound tensors, by declaration index.</summary>
    public GlobalBuffer[] Tensors { get; }

    /// <summary>The record of the group's computing regions this CPE replays from and adds to, or null when it runs every region.</summary>
    public ComputeRegionMemo? Memo { get; set; }

    /// <summary>The region this CPE is recording, between its start and its end.</summary>
    public RegionRecording? Recording { get; set; }

    /// <summary>This CPE's scratch array for the values <paramref name="region"/> depends on (overwritten at each of its starts).</summary>
    public long[] RegionKey(ComputeRegion region)
    {
        _regionKeys ??= new long[]?[Memo!.Regions];
        return _regionKeys[region.Index] ??= new long[region.KeyLength];
    }

    /// <summary>An error about <paramref name="statement"/> on this CPE, naming the kernel, the CPE and the statement.</summary>
    public ExecutionException Error(string id, Core.Ir.Stmt statement, string problem) =>
        new(id, $"Kernel '{Kernel}' on {Cpe.Id}, at `{statement.ToString().TrimEnd()}`: {problem}");

    /// <summary><paramref name="value"/> as an int, or a <see cref="ExecutionDiagnostics.ValueOutOfRange"/> error naming <paramref name="what"/>.</summary>
    public int ToInt(long value, Core.Ir.Stmt statement, string what) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value
        : throw Error(ExecutionDiagnostics.ValueOutOfRange, statement, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} = {value} does not fit in 32 bits."));
}
