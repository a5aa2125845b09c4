namespace Swatop.Core;

/// <summary>
/// The stable identifiers of the Describe stage's diagnostics. Every
/// <see cref="OperatorDescriptionException"/> carries one of them in its
/// <see cref="OperatorDescriptionException.Id"/>; the identifiers never change meaning.
/// </summary>
public static class DescribeDiagnostics
{
    /// <summary>A name (axis, tensor or contraction) is not a C identifier: a letter or underscore, then letters, digits or underscores.</summary>
    public const string InvalidName = "SWD0001";

    /// <summary>An axis extent is smaller than one.</summary>
    public const string AxisExtentTooSmall = "SWD0002";

    /// <summary>An affine term has a zero coefficient.</summary>
    public const string ZeroCoefficient = "SWD0003";

    /// <summary>A tensor shape has no dimension, or a dimension smaller than one.</summary>
    public const string InvalidTensorShape = "SWD0004";

    /// <summary>A tensor access has a different number of indices than its tensor has dimensions.</summary>
    public const string AccessRankMismatch = "SWD0005";

    /// <summary>Two axes of a contraction share a name.</summary>
    public const string DuplicateAxisName = "SWD0006";

    /// <summary>An access reads an axis the contraction does not declare (or declares with another extent or kind).</summary>
    public const string UndeclaredAxis = "SWD0007";

    /// <summary>An axis is declared in the wrong list: an index axis of kind reduction, or the other way round.</summary>
    public const string AxisKindMismatch = "SWD0008";

    /// <summary>An index axis does not appear in the output access.</summary>
    public const string IndexAxisMissingFromOutput = "SWD0009";

    /// <summary>The output access reads a reduction axis.</summary>
    public const string OutputReadsReductionAxis = "SWD0010";

    /// <summary>
    /// The output indices are not an exact bijection onto the output tensor: a dimension's index is
    /// not a mixed-radix combination of index axes that covers the dimension exactly, or an index
    /// axis is used in more than one output dimension.
    /// </summary>
    public const string OutputNotBijective = "SWD0011";

    /// <summary>An input operand (left or right) depends on no reduction axis.</summary>
    public const string OperandIgnoresReduction = "SWD0012";

    /// <summary>A reduction axis is read by neither input operand.</summary>
    public const string UnusedReductionAxis = "SWD0013";

    /// <summary>An operator size (batch, rows, columns, channels, height, width, kernel) is smaller than one.</summary>
    public const string SizeTooSmall = "SWD0014";

    /// <summary>A padding is negative.</summary>
    public const string NegativePadding = "SWD0015";

    /// <summary>A stride is smaller than one.</summary>
    public const string StrideTooSmall = "SWD0016";

    /// <summary>A dilation is smaller than one.</summary>
    public const string DilationTooSmall = "SWD0017";

    /// <summary>The number of groups is smaller than one.</summary>
    public const string GroupsTooSmall = "SWD0018";

    /// <summary>The number of groups does not divide the input or the output channels.</summary>
    public const string GroupsDoNotDivideChannels = "SWD0019";

    /// <summary>The dilated kernel, <c>dilation * (kernel - 1) + 1</c>, is larger than the padded input: the output would be empty.</summary>
    public const string KernelLargerThanInput = "SWD0020";

    // SWD0021 (a padding not smaller than the dilated kernel) is retired: such padding is accepted, as PyTorch and ONNX accept it,
    // and outputs whose window sees only padding are zero. The identifier is not reused.

    /// <summary>A tensor would exceed <see cref="int.MaxValue"/> elements, or an index or iteration count exceeds the 64-bit range.</summary>
    public const string TooLarge = "SWD0022";

    /// <summary>An enumeration argument (element type, layout) is not one of its defined values.</summary>
    public const string UndefinedEnumValue = "SWD0023";

    /// <summary>An <see cref="OperatorDescription"/> names no operator kind, or one that is not conv2d, gemm or fc.</summary>
    public const string UnknownOperatorKind = "SWD0024";

    /// <summary>An <see cref="OperatorDescription"/> lacks an attribute its kind needs, or gives it empty.</summary>
    public const string MissingAttribute = "SWD0025";

    /// <summary>An attribute's text is not a value of its type: an integer, a flag, a layout or an element type.</summary>
    public const string MalformedAttribute = "SWD0026";

    /// <summary>An <see cref="OperatorDescription"/> gives an attribute its kind does not take.</summary>
    public const string UnknownAttribute = "SWD0027";

    /// <summary>An attribute is given both for both directions (<c>kernel</c>) and for one of them (<c>kernel_h</c> or <c>kernel_w</c>).</summary>
    public const string ConflictingAttributes = "SWD0028";

    /// <summary>An epilogue adds a bias to an operator without an output-channel axis (a custom contraction).</summary>
    public const string EpilogueWithoutChannels = "SWD0029";

    /// <summary>A clip's bound is NaN, or its minimum is greater than its maximum.</summary>
    public const string InvalidClipBounds = "SWD0030";

    /// <summary>An epilogue repeats a step where a second one makes no sense: two biases, two residual adds, or two clips in a row.</summary>
    public const string RepeatedEpilogueStep = "SWD0031";

    /// <summary>A residual add states a shape that is not the operator's output shape.</summary>
    public const string EpilogueShapeMismatch = "SWD0032";

    /// <summary>An epilogue's tensor (<c>bias</c>, <c>residual</c>) has the name of one of the operator's own tensors.</summary>
    public const string EpilogueTensorNameTaken = "SWD0033";
}
