namespace Swatop.Core.NodeKernels;

/// <summary>What a <see cref="PoolingKernel"/> computes over each window.</summary>
public enum PoolingKind
{
    /// <summary>The largest element of the window (<see cref="Graphs.MaxPoolNode"/>).</summary>
    Max,

    /// <summary>The mean of the window (<see cref="Graphs.AveragePoolNode"/>), the padding counted or not.</summary>
    Average,

    /// <summary>The mean of each whole channel plane (<see cref="Graphs.GlobalAveragePoolNode"/>).</summary>
    GlobalAverage,
}
