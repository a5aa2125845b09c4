namespace Swatop.Core.Onnx;

/// <summary>A tensor of an ONNX model (a graph input or output, by its name in the model) and the graph value it became.</summary>
/// <param name="OnnxName">The tensor's name in the model.</param>
/// <param name="Value">The value of the imported <see cref="Graphs.OperatorGraph"/>; its name is the ONNX name unless that was not a valid graph name or was taken.</param>
public sealed record OnnxBinding(string OnnxName, Graphs.GraphValue Value)
{
    /// <summary>Prints the binding as <c>onnx-name -> value</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{OnnxName} -> {Value}";
}
