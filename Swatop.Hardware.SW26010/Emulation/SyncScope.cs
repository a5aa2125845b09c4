namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>Which CPEs an <c>athread_syn</c> barrier waits for.</summary>
public enum SyncScope
{
    /// <summary>The CPEs of the caller's row (<c>ROW_SCOPE</c>).</summary>
    Row,

    /// <summary>The CPEs of the caller's column (<c>COL_SCOPE</c>).</summary>
    Column,

    /// <summary>All CPEs of the core group (<c>ARRAY_SCOPE</c>).</summary>
    Array,
}
