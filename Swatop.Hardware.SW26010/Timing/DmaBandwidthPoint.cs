namespace Swatop.Hardware.Sw26010.Timing;

/// <summary>One measurement: blocks of <paramref name="BlockBytes"/> moved at <paramref name="GigabytesPerSecond"/> (1 GB = 1e9 bytes).</summary>
/// <param name="BlockBytes">Bytes of one contiguous block.</param>
/// <param name="GigabytesPerSecond">Bandwidth of the whole core group.</param>
public readonly record struct DmaBandwidthPoint(int BlockBytes, double GigabytesPerSecond)
{
    /// <summary>Nanoseconds a byte takes at this bandwidth.</summary>
    public double NanosecondsPerByte => 1 / GigabytesPerSecond;
}
