namespace Swatop.Core.Onnx;

/// <summary>
/// The stable identifiers of the ONNX importer's diagnostics. Every <see cref="OnnxImportException"/>
/// carries one of them in its <see cref="OnnxImportException.Id"/>; the identifiers never change meaning.
/// </summary>
public static class OnnxDiagnostics
{
    /// <summary>The bytes are not an ONNX model: the file is truncated or corrupt (the protobuf reader refused it), or could not be read.</summary>
    public const string UnreadableModel = "SWO0001";

    /// <summary>The model is larger than <see cref="OnnxImportOptions.MaxModelBytes"/>.</summary>
    public const string ModelTooLarge = "SWO0002";

    /// <summary>The model has no graph, or does not import the default operator set.</summary>
    public const string NoGraph = "SWO0003";

    /// <summary>The model's default operator set is outside the supported range, opsets 11 to 21.</summary>
    public const string UnsupportedOpset = "SWO0004";

    /// <summary>A node's operator (its op type or domain) is not one the importer can run; the message names the node, its op type and the opset.</summary>
    public const string UnsupportedOperator = "SWO0005";

    /// <summary>A node uses an operator in a way the importer cannot run (an attribute value, an unknown attribute, a rank, a constant where an activation is needed or the reverse).</summary>
    public const string UnsupportedUse = "SWO0006";

    /// <summary>An attribute has the wrong type or a value outside its rule (a stride below one, a negative padding, an axis out of range).</summary>
    public const string InvalidAttribute = "SWO0007";

    /// <summary>A node reads a tensor that no graph input, initializer or node provides, or a graph output names such a tensor.</summary>
    public const string DanglingTensor = "SWO0008";

    /// <summary>The nodes form a cycle: a node reads, through other nodes, its own output.</summary>
    public const string Cycle = "SWO0009";

    /// <summary>Two providers (graph inputs, initializers or node outputs) give the same tensor name.</summary>
    public const string DuplicateTensor = "SWO0010";

    /// <summary>An initializer's or constant's data does not fit its declaration: its element count or byte length differs from its dimensions, its data type is not supported, or its data lies in an external file.</summary>
    public const string InvalidTensorData = "SWO0011";

    /// <summary>Shapes disagree: a declared shape and its initializer, an operator's input and its weights, a declared output and the computed one.</summary>
    public const string ShapeMismatch = "SWO0012";

    /// <summary>A dimension is not valid: negative or zero, symbolic where no batch size is given, or the dimensions' product overflows or exceeds <see cref="int.MaxValue"/> elements.</summary>
    public const string InvalidDimension = "SWO0013";

    /// <summary>A graph input's element type is not float32 or float64, or the inputs' types differ.</summary>
    public const string UnsupportedElementType = "SWO0014";

    /// <summary>The graph layer refused a node built from the model; the message holds its own diagnostic (<c>SWG....</c>).</summary>
    public const string InvalidGraph = "SWO0015";

    /// <summary>A required input of a node is missing (an empty name or too few inputs).</summary>
    public const string MissingInput = "SWO0016";

    /// <summary>The batch size of <see cref="OnnxImportOptions"/> is below one.</summary>
    public const string InvalidOption = "SWO0017";
}
