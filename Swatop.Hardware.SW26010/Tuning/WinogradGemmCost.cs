namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The cost model's price of a composite Winograd plan stage by stage, for the core group with the most images: a CPE's
/// compute per phase (all CPEs in step), the controller's time per kind of transfer (all 64 CPEs'), the latencies of the
/// waits, and spawn and join. A call's price is that of the prepared form, which a framework runs and a tuner measures: the
/// filters' transform into U is the prepare step's (<see cref="PrepareSeconds"/>), once, not a call's.
/// </summary>
internal sealed record WinogradGemmCost
{
    /// <summary>Mesh GEMM calls.</summary>
    public required double GemmCalls { get; init; }

    /// <summary>Bytes a call gets: input rows, the workspaces' blocks.</summary>
    public required double GetBytes { get; init; }

    /// <summary>Bytes a call puts: V, M and the output.</summary>
    public required double PutBytes { get; init; }

    /// <summary>Seconds of the filters' transform (<c>G g G^T</c>, its fills), once in the prepare step.</summary>
    public required double FilterTransformSeconds { get; init; }

    /// <summary>Seconds of the input's transform (<c>B^T d B</c>, its fills).</summary>
    public required double InputTransformSeconds { get; init; }

    /// <summary>Seconds of the C blocks' fills and the mesh GEMM calls, or of the B blocks' gets they overlap where those take longer.</summary>
    public required double ProductSeconds { get; init; }

    /// <summary>Seconds of the output transform (<c>A^T M A</c>, its fills, the transposes).</summary>
    public required double OutputTransformSeconds { get; init; }

    /// <summary>The controller's seconds for the filters' gets and U's puts, in the prepare step.</summary>
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

    /// <summary>The prepare step's waits' latencies (the filters' gets and U's puts).</summary>
    public required double FilterWaitSeconds { get; init; }

    /// <summary>The waits' latencies of a call.</summary>
    public required double WaitSeconds { get; init; }

    /// <summary>Spawn and join.</summary>
    public required double FixedSeconds { get; init; }

    /// <summary>A CPE's compute in a call.</summary>
    public double ComputeSeconds => InputTransformSeconds + ProductSeconds + OutputTransformSeconds;

    /// <summary>The controller's time for every transfer of a call.</summary>
    public double DmaSeconds => InputGetSeconds + TilePutSeconds + ProductDmaSeconds + SumGetSeconds + OutputPutSeconds;

    /// <summary>The prepare step's time: the filters' transform, its transfers (added: single buffers) and waits, spawn and join.</summary>
    public double PrepareSeconds => FilterTransformSeconds + FilterDmaSeconds + FilterWaitSeconds + FixedSeconds;
}
