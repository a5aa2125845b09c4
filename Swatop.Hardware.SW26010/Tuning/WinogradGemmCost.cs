namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The cost model's price of a composite Winograd plan stage by stage, for the core group with the most images: a CPE's
/// compute per phase (all CPEs in step), the controller's time per kind of transfer (all 64 CPEs'), the latencies of the
/// waits, and spawn and join.
/// </summary>
internal sealed record WinogradGemmCost
{
    /// <summary>Mesh GEMM calls.</summary>
    public required double GemmCalls { get; init; }

    /// <summary>Bytes gotten: filters, input rows, the workspaces' blocks.</summary>
    public required double GetBytes { get; init; }

    /// <summary>Bytes put: U, V, M and the output.</summary>
    public required double PutBytes { get; init; }

    /// <summary>Seconds of the filters' transform (<c>G g G^T</c>, its fills), once a call.</summary>
    public required double FilterTransformSeconds { get; init; }

    /// <summary>Seconds of the input's transform (<c>B^T d B</c>, its fills).</summary>
    public required double InputTransformSeconds { get; init; }

    /// <summary>Seconds of the C blocks' fills and the mesh GEMM calls, or of the B blocks' gets they overlap where those take longer.</summary>
    public required double ProductSeconds { get; init; }

    /// <summary>Seconds of the output transform (<c>A^T M A</c>, its fills, the transposes).</summary>
    public required double OutputTransformSeconds { get; init; }

    /// <summary>The controller's seconds for the filters' gets and U's puts.</summary>
    public required double FilterDmaSeconds { get; init; }

    /// <summary>The controller's seconds for the input rows' gets.</summary>
    public required double InputGetSeconds { get; init; }

    /// <summary>The controller's seconds for V's puts.</summary>
    public required double TilePutSeconds { get; init; }

    /// <summary>The controller's seconds for the mesh GEMM calls' A blocks' gets and the C blocks' puts.</summary>
    public required double ProductDmaSeconds { get; init; }

    /// <summary>The controller's seconds for the output channels' gets of M.</summary>
    public required double SumGetSeconds { get; init; }

    /// <summary>The controller's seconds for the output rows' puts.</summary>
    public required double OutputPutSeconds { get; init; }

    /// <summary>The waits' latencies.</summary>
    public required double WaitSeconds { get; init; }

    /// <summary>Spawn and join.</summary>
    public required double FixedSeconds { get; init; }

    /// <summary>A CPE's compute.</summary>
    public double ComputeSeconds => FilterTransformSeconds + InputTransformSeconds + ProductSeconds + OutputTransformSeconds;

    /// <summary>The controller's time for every transfer.</summary>
    public double DmaSeconds => FilterDmaSeconds + InputGetSeconds + TilePutSeconds + ProductDmaSeconds + SumGetSeconds + OutputPutSeconds;
}
