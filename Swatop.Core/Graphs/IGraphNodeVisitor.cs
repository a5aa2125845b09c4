namespace Swatop.Core.Graphs;

/// <summary>
/// A computation over graph nodes with one method per kind of node
/// (<see cref="GraphNode.Accept{TResult}"/>): a new kind of node is a compile error in every
/// consumer (the reference, the printer, later the tuner) until it handles it too.
/// </summary>
/// <typeparam name="TResult">What it computes.</typeparam>
public interface IGraphNodeVisitor<out TResult>
{
    /// <summary>Visits an operator (a convolution, a fully connected layer, a GEMM).</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(OperatorNode node);

    /// <summary>Visits an element-wise sum.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(AddNode node);

    /// <summary>Visits a max pooling.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(MaxPoolNode node);

    /// <summary>Visits a global average pooling.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(GlobalAveragePoolNode node);

    /// <summary>Visits a flattening.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(FlattenNode node);

    /// <summary>Visits a per-channel bias.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(BiasAddNode node);

    /// <summary>Visits a per-channel scale.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(ChannelScaleNode node);

    /// <summary>Visits a clamp (a ReLU, a ReLU6).</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(ClipNode node);

    /// <summary>Visits an average pooling.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(AveragePoolNode node);

    /// <summary>Visits a concatenation.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(ConcatNode node);

    /// <summary>Visits a softmax.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(SoftmaxNode node);

    /// <summary>Visits a reshape.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The result.</returns>
    TResult Visit(ReshapeNode node);
}
