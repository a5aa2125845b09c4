namespace Swatop.Core.NodeKernels;

/// <summary>What an <see cref="ElementwiseNodeKernel"/> computes for each element.</summary>
public enum ElementwiseNodeKind
{
    /// <summary>The sum of two inputs of one shape (<see cref="Graphs.AddNode"/>).</summary>
    Add,

    /// <summary>The input clamped to a minimum, a maximum or both (<see cref="Graphs.ClipNode"/>).</summary>
    Clip,

    /// <summary>The input plus its channel's constant (<see cref="Graphs.BiasAddNode"/>).</summary>
    BiasAdd,

    /// <summary>The input times its channel's constant (<see cref="Graphs.ChannelScaleNode"/>).</summary>
    ChannelScale,
}
