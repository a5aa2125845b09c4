namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A DMA reply word: a counter in a CPE's LDM that the DMA engine increments when a transfer that
/// names it completes. <see cref="ICpe.DmaWait"/> waits until it reaches a count.
/// </summary>
public sealed class ReplyWord
{
    internal ReplyWord(CpeId owner, string name)
    {
        Owner = owner;
        Name = name;
    }

    /// <summary>The CPE whose LDM holds the word.</summary>
    public CpeId Owner { get; }

    /// <summary>The name given at creation; messages use it.</summary>
    public string Name { get; }

    /// <summary>Transfers issued against the word since it was last reset.</summary>
    public int Issued { get; internal set; }

    /// <summary>Transfers completed since it was last reset: the value the CPE would read.</summary>
    public int Completed { get; internal set; }

    /// <summary>Sets the word back to zero (<c>reply = 0</c> in athread C).</summary>
    public void Reset()
    {
        Issued = 0;
        Completed = 0;
    }

    /// <inheritdoc />
    public override string ToString() => $"reply word '{Name}' of {Owner}";
}
