using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A DMA reply word: a counter in a CPE's LDM that the DMA engine increments when a transfer that
/// names it completes. <see cref="ICpe.DmaWait"/> waits until it reaches a count.
/// </summary>
public sealed class ReplyWord
{
    private readonly Cpe _owner;
    private readonly List<DmaRequest> _requests = [];

    internal ReplyWord(Cpe owner, string name)
    {
        _owner = owner;
        Name = name;
    }

    /// <summary>The CPE whose LDM holds the word.</summary>
    public CpeId Owner => _owner.Id;

    internal bool BelongsTo(Cpe cpe) => ReferenceEquals(_owner, cpe);

    /// <summary>The name given at creation; messages use it.</summary>
    public string Name { get; }

    /// <summary>Transfers issued against the word since it was last reset.</summary>
    public int Issued => _requests.Count;

    /// <summary>Transfers known to have completed by the owner's current cycle: the value the CPE would read.</summary>
    public int Completed => _requests.Count(r => r.IsServed && r.CompletionCycle <= _owner.Clock.Now);

    /// <summary>Sets the word back to zero (<c>reply = 0</c> in athread C).</summary>
    public void Reset() => _requests.Clear();

    internal DmaRequest this[int index] => _requests[index];

    internal void Add(DmaRequest request) => _requests.Add(request);

    /// <inheritdoc />
    public override string ToString() => $"reply word '{Name}' of {Owner}";
}
