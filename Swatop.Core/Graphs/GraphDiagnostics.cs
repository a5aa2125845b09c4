namespace Swatop.Core.Graphs;

/// <summary>
/// The stable identifiers of the graph layer's diagnostics. Every <see cref="GraphException"/>
/// carries one of them in its <see cref="GraphException.Id"/>; the identifiers never change meaning.
/// </summary>
public static class GraphDiagnostics
{
    /// <summary>A graph, node or value name is empty, or holds white space or a control character.</summary>
    public const string InvalidName = "SWG0001";

    /// <summary>A node or value name is already used in the graph: nodes, inputs and constants share one set of names.</summary>
    public const string DuplicateName = "SWG0002";

    /// <summary>A value was made by another <see cref="GraphBuilder"/>: a node takes only values of its own builder.</summary>
    public const string ForeignValue = "SWG0003";

    /// <summary>A value has a number of dimensions the node does not take (a convolution or a pooling needs NCHW, four).</summary>
    public const string RankMismatch = "SWG0004";

    /// <summary>The shapes of a node's inputs do not fit together (an addition of two shapes, a product whose inner dimensions differ).</summary>
    public const string ShapeMismatch = "SWG0005";

    /// <summary>The operator builder refused the node's arguments; the message holds its own diagnostic (<c>SWD....</c>).</summary>
    public const string InvalidOperator = "SWG0006";

    /// <summary>A pooling's kernel, stride or padding breaks a rule: each at least one (padding at least zero), the padding at most half the kernel, the kernel no larger than the padded input.</summary>
    public const string InvalidPooling = "SWG0007";

    /// <summary>A graph input's shape has no dimension, a dimension smaller than one, or more than <see cref="int.MaxValue"/> elements.</summary>
    public const string InvalidShape = "SWG0008";

    /// <summary>The graph has no node.</summary>
    public const string EmptyGraph = "SWG0009";

    /// <summary>The graph has no output.</summary>
    public const string NoOutput = "SWG0010";

    /// <summary>A value is marked as an output twice.</summary>
    public const string DuplicateOutput = "SWG0011";

    /// <summary>A graph input or a node's output is neither read by a node nor an output of the graph.</summary>
    public const string UnusedValue = "SWG0012";

    /// <summary>The element type is not one of its defined values.</summary>
    public const string UndefinedElementType = "SWG0013";

    /// <summary>A clamp's bounds are not numbers, or its lower bound is above its upper bound.</summary>
    public const string InvalidClip = "SWG0014";

    /// <summary>An axis (of a concatenation or a softmax) is not a dimension of the value.</summary>
    public const string InvalidAxis = "SWG0015";

    /// <summary>A reshape's target shape has a dimension smaller than one or another element count than its input.</summary>
    public const string InvalidReshape = "SWG0016";

    /// <summary>A concatenation stays a copy: a part is a graph input or a constant, which no kernel writes into the joined tensor.</summary>
    public const string ConcatPartNotComputed = "SWG0017";

    /// <summary>A concatenation stays a copy: a part is read by another node too, by the concatenation more than once, or is a graph output.</summary>
    public const string ConcatPartShared = "SWG0018";

    /// <summary>A concatenation stays a copy: a part is produced by a node that is not an operator (a pooling, an element-wise node), which writes no slice of a larger tensor.</summary>
    public const string ConcatPartNotOperator = "SWG0019";

    /// <summary>A concatenation stays a copy: a part's producer runs a kernel of an algorithm that writes no slice of a larger tensor (only the implicit GEMM does).</summary>
    public const string ConcatPartAlgorithm = "SWG0020";

    /// <summary>A concatenation stays a copy: a part's producer leaves it in a kernel's placement, and none of its candidates that reads its inputs where the plan has them writes the framework's layout.</summary>
    public const string ConcatPartPlaced = "SWG0021";

    /// <summary>A concatenation stays a copy: a part's producer cannot write its slice (the channel margins do not fit its kernel).</summary>
    public const string ConcatPartMargins = "SWG0022";

    /// <summary>A concatenation stays a copy: the producers writing their slices take longer, measured, than writing their own outputs and the copy.</summary>
    public const string ConcatViewSlower = "SWG0023";
}
