using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A DMA reply word: a counter in a CPE's LDM that the DMA engine increments when a transfer that
/// names it completes. <see cref="ICpe.DmaWait"/> waits until it reaches a count.
/// </summary>
public sealed class ReplyWord
{
    private readonly Cpe _owner;
    private DmaRequest?[] _requests = [];
    private int _issued;

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
    public int Issued => _issued;

    /// <summary>Transfers known to have completed by the owner's current cycle: the value the CPE would read.</summary>
    public int Completed
    {
        get
        {
            var completed = 0;
            for (var i = 0; i < _issued; i++)
            {
                completed += _requests[i]!.IsServed && _requests[i]!.CompletionCycle <= _owner.Clock.Now ? 1 : 0;
            }

            return completed;
        }
    }

    /// <summary>Sets the word back to zero (<c>reply = 0</c> in athread C).</summary>
    public void Reset()
    {
        _issued = 0;
        Generation++;
    }

    /// <summary>How many times the word was reset: a wait covers only transfers issued since the last reset.</summary>
    internal int Generation { get; private set; }

    internal DmaRequest this[int index] => _requests[index]!;

    /// <summary>The request for the next transfer against the word: a served one reused, or a new one.</summary>
    internal DmaRequest Next(bool isGet, int blocks, int blockBytes, double issueCycle, bool crossSegment, int alignedWideBlocks)
    {
        if (_issued == _requests.Length)
        {
            Array.Resize(ref _requests, Math.Max(4, 2 * _requests.Length));
        }

        // A request still in the controller's queue keeps its object; the word takes a new one.
        var request = _requests[_issued];
        if (request is null || !request.IsServed)
        {
            request = new DmaRequest();
            _requests[_issued] = request;
        }

        _issued++;
        return request.Describe(isGet, blocks, blockBytes, issueCycle, crossSegment, alignedWideBlocks);
    }

    /// <inheritdoc />
    public override string ToString() => $"reply word '{Name}' of {Owner}";
}
