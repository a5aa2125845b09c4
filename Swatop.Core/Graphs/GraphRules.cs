using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Swatop.Core.Graphs;

/// <summary>
/// The checks shared by the graph layer. Each failure throws a <see cref="GraphException"/> with a
/// stable identifier of <see cref="GraphDiagnostics"/>, the parameter named, its value and the rule.
/// </summary>
internal static class GraphRules
{
    /// <summary>Throws a graph failure.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(string id, string paramName, string message, Exception? innerException = null) =>
        throw new GraphException(id, paramName, message, innerException);

    /// <summary>
    /// Throws <see cref="GraphDiagnostics.InvalidName"/> unless <paramref name="name"/> is a name: not
    /// empty, without white space or control characters (so torchvision's <c>layer1.0.conv1</c> and an
    /// ONNX importer's <c>/layer1/Conv_output_0</c> are names).
    /// </summary>
    public static string Name(string name, string paramName, string what)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            var why = name.Length == 0 ? "it is empty" : "it holds white space or a control character";
            Fail(
                GraphDiagnostics.InvalidName,
                paramName,
                $"{paramName} = \"{name}\" is not a valid {what} name: {why}; a name is not empty and has no white space or control characters.");
        }

        return name;
    }

    /// <summary>Throws <see cref="GraphDiagnostics.RankMismatch"/> unless <paramref name="value"/> has <paramref name="rank"/> dimensions.</summary>
    public static void Rank(GraphValue value, int rank, string node, string operation, string paramName, string layout)
    {
        if (value.Rank != rank)
        {
            Fail(
                GraphDiagnostics.RankMismatch,
                paramName,
                Invariant($"{operation} '{node}': {paramName} = '{value.Name}' {value.ShapeText} has {value.Rank} dimensions; {operation} takes {rank}, {layout}."));
        }
    }

    /// <summary>Throws <see cref="GraphDiagnostics.InvalidShape"/> unless every dimension is at least one and the element count fits in an int.</summary>
    public static void Shape(ReadOnlySpan<int> shape, string name, string paramName)
    {
        if (shape.IsEmpty)
        {
            Fail(GraphDiagnostics.InvalidShape, paramName, $"{paramName} = [] of input '{name}' is not valid: a value has at least one dimension.");
        }

        long count = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 1)
            {
                Fail(
                    GraphDiagnostics.InvalidShape,
                    paramName,
                    Invariant($"{paramName}[{d}] = {shape[d]} of input '{name}' {GraphValue.FormatShape(shape)} is not valid: every dimension must be at least 1."));
            }

            count *= shape[d];
            if (count > int.MaxValue)
            {
                Fail(
                    GraphDiagnostics.InvalidShape,
                    paramName,
                    Invariant($"{paramName} = {GraphValue.FormatShape(shape)} of input '{name}' would hold more than int.MaxValue = {int.MaxValue} elements."));
            }
        }
    }

    /// <summary>Formats an interpolated string with the invariant culture.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
