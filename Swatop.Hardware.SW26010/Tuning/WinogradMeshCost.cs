namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The cost model's price of a fused Winograd plan stage by stage, for the core group with the most images: the CPEs'
/// compute per stage (a CPE's time, all CPEs in step), the controller's time per kind of transfer (all 64 CPEs'), the
/// latencies of the waits, and spawn and join.
/// </summary>
internal sealed record WinogradMeshCost
{
    /// <summary>Mesh GEMM calls.</summary>
    public required double GemmCalls { get; init; }

    /// <summary>Bytes gotten: filters and input rows.</summary>
    public required double GetBytes { get; init; }

    /// <summary>Bytes put: the output.</summary>
    public required double PutBytes { get; init; }

    /// <summary>Seconds of the filters' transform in the kernel (<c>G g G^T</c>, its fills).</summary>
    public required double FilterTransformSeconds { get; init; }

    /// <summary>Seconds of the input's transform (<c>B^T d B</c>, its fills).</summary>
    public required double InputTransformSeconds { get; init; }

    /// <summary>Seconds of the mesh GEMM calls.</summary>
    public required double ProductSeconds { get; init; }

    /// <summary>Seconds of the output's transform (<c>A^T M A</c>, the transposes, the accumulators' fills).</summary>
    public required double OutputTransformSeconds { get; init; }

    /// <summary>The controller's seconds for the filters' gets.</summary>
    public required double FilterGetSeconds { get; init; }

    /// <summary>The controller's seconds for the input rows' gets.</summary>
    public required double InputGetSeconds { get; init; }

    /// <summary>The controller's seconds for the output rows' puts.</summary>
    public required double PutSeconds { get; init; }

    /// <summary>Seconds of the waits' latencies.</summary>
    public required double WaitSeconds { get; init; }

    /// <summary>Seconds of spawn and join.</summary>
    public required double FixedSeconds { get; init; }

    /// <summary>The compute of every stage.</summary>
    public double ComputeSeconds => FilterTransformSeconds + InputTransformSeconds + ProductSeconds + OutputTransformSeconds;
}
