using System.Collections.Immutable;

namespace Swatop.Core.Graphs;

/// <summary>
/// A per-channel bias, <c>Output[n][c][...] = Input[n][c][...] + Bias[c]</c>: a convolution's bias
/// (dimension 1 of an NCHW value) or a fully connected layer's (dimension 1 of <c>[N][features]</c>).
/// The bias is a constant named <c>&lt;node&gt;.bias</c> of shape <c>[C]</c>. It is a separate node so that
/// a fusion pass can move it into the producing operator's epilogue.
/// </summary>
public sealed record BiasAddNode : GraphNode
{
    internal BiasAddNode(string name, GraphValue input, GraphValue bias, GraphValue output)
        : base(name, output)
    {
        Input = input;
        Bias = bias;
    }

    /// <summary>The activation, of two or more dimensions, its channels in dimension 1.</summary>
    public GraphValue Input { get; }

    /// <summary>The constant bias, <c>[C]</c>.</summary>
    public GraphValue Bias { get; }

    /// <inheritdoc />
    public override ImmutableArray<GraphValue> Inputs => [Input, Bias];

    /// <inheritdoc />
    public override string Operation => "BiasAdd";

    /// <inheritdoc />
    public override TResult Accept<TResult>(IGraphNodeVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit(this);
    }
}
