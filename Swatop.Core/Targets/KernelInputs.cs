using System.Collections.Immutable;
using System.Globalization;
using System.Numerics.Tensors;
using Swatop.Core.Lowering;
using Swatop.Primitives;

namespace Swatop.Core.Targets;

/// <summary>
/// The input tensors of a run, checked against a lowered kernel's <see cref="LoweredKernel.Inputs"/>:
/// every input given once by its tensor name, no other tensor, each in its framework shape and of the
/// operator's element type. Targets call it before they run; the message of each refusal names the tensor.
/// </summary>
public static class KernelInputs
{
    /// <summary>The parameter name of the tensors given by name.</summary>
    private const string InputsParameter = "inputs";

    /// <summary>
    /// The tensors of <paramref name="inputs"/> flattened row-major, in the order of
    /// <see cref="LoweredKernel.Inputs"/>.
    /// </summary>
    /// <param name="lowered">The kernel to run.</param>
    /// <param name="inputs">Each input of the operator by its tensor name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">
    /// The element type is not the operator's; a tensor is missing, is not an input of the operator, or has
    /// another shape. The message names the tensor.
    /// </exception>
    public static ImmutableArray<T[]> Flatten<T>(LoweredKernel lowered, IReadOnlyDictionary<string, Tensor<T>> inputs) => Copies(InOrder(lowered, inputs));

    /// <summary>
    /// The tensors of <paramref name="inputs"/> as they are, checked as <see cref="Flatten{T}(LoweredKernel, IReadOnlyDictionary{string, Tensor{T}})"/>
    /// checks them, in the order of <see cref="LoweredKernel.Inputs"/>: what a target that reads a dense tensor where it
    /// lies takes instead of a row-major copy.
    /// </summary>
    /// <param name="lowered">The kernel to run.</param>
    /// <param name="inputs">Each input of the operator by its tensor name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">
    /// The element type is not the operator's; a tensor is missing, is not an input of the operator, or has
    /// another shape. The message names the tensor.
    /// </exception>
    public static ImmutableArray<Tensor<T>> InOrder<T>(LoweredKernel lowered, IReadOnlyDictionary<string, Tensor<T>> inputs)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        return InOrder(lowered, inputs, lowered.Inputs, InputsParameter, "its inputs");
    }

    /// <summary>
    /// The tensors of <paramref name="inputs"/> flattened row-major, in the order of <paramref name="expected"/>:
    /// some of the operator's inputs (a prepare step's constants, a prepared kernel's activations). A refusal
    /// names <paramref name="parameter"/> and the tensor.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">The element type is not the operator's; a tensor is missing, is not one of <paramref name="expected"/>, or has another shape.</exception>
    /// <param name="lowered">The kernel to run.</param>
    /// <param name="inputs">The tensors by name.</param>
    /// <param name="expected">The tensors wanted, in the order returned.</param>
    /// <param name="parameter">The parameter the messages name.</param>
    /// <param name="expectedWhat">What the messages call the tensors wanted, e.g. <c>its inputs</c>.</param>
    public static ImmutableArray<T[]> Flatten<T>(LoweredKernel lowered, IReadOnlyDictionary<string, Tensor<T>> inputs, ImmutableArray<TensorDeclaration> expected, string parameter, string expectedWhat) =>
        Copies(InOrder(lowered, inputs, expected, parameter, expectedWhat));

    /// <summary>
    /// The tensors of <paramref name="inputs"/> as they are, in the order of <paramref name="expected"/>, checked as
    /// <see cref="Flatten{T}(LoweredKernel, IReadOnlyDictionary{string, Tensor{T}}, ImmutableArray{TensorDeclaration}, string, string)"/>
    /// checks them.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">The element type is not the operator's; a tensor is missing, is not one of <paramref name="expected"/>, or has another shape.</exception>
    /// <param name="lowered">The kernel to run.</param>
    /// <param name="inputs">The tensors by name.</param>
    /// <param name="expected">The tensors wanted, in the order returned.</param>
    /// <param name="parameter">The parameter the messages name.</param>
    /// <param name="expectedWhat">What the messages call the tensors wanted, e.g. <c>its inputs</c>.</param>
    public static ImmutableArray<Tensor<T>> InOrder<T>(LoweredKernel lowered, IReadOnlyDictionary<string, Tensor<T>> inputs, ImmutableArray<TensorDeclaration> expected, string parameter, string expectedWhat)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        ArgumentNullException.ThrowIfNull(inputs, parameter);
        ArgumentException.ThrowIfNullOrEmpty(parameter);
        CheckElementType<T>(lowered, parameter);
        var unknown = inputs.Keys.Where(name => !expected.Any(t => t.Name == name)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var what = unknown.Contains(lowered.Output.Name)
                ? $"'{lowered.Output.Name}' is the operator's output, not an input"
                : $"{Names(unknown)} {(unknown.Count == 1 ? "is not an input" : "are not inputs")} of the operator";
            throw new ArgumentException($"{parameter} holds {Names(unknown)}: {what}; {expectedWhat} are {Declared(expected)}.", parameter);
        }

        var missing = expected.Where(t => !inputs.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"{parameter} has no tensor {Names(missing)}; {expectedWhat} are {Declared(expected)}.", parameter);
        }

        return [.. expected.Select(t => Checked(inputs[t.Name], t, parameter, $"{parameter}['{t.Name}']"))];
    }

    /// <summary>
    /// The left and right operands of the operator's contraction, flattened row-major: what the
    /// two-tensor runs take. A refusal names the parameter (<c>left</c> or <c>right</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">The element type is not the operator's, or a tensor has another shape.</exception>
    public static ImmutableArray<T[]> Flatten<T>(LoweredKernel lowered, Tensor<T> left, Tensor<T> right) => Copies(InOrder(lowered, left, right));

    /// <summary>
    /// The left and right operands of the operator's contraction as they are, in the order of
    /// <see cref="LoweredKernel.Inputs"/>, checked as <see cref="Flatten{T}(LoweredKernel, Tensor{T}, Tensor{T})"/> checks them.
    /// </summary>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">The element type is not the operator's, or a tensor has another shape.</exception>
    /// <param name="lowered">The kernel to run.</param>
    /// <param name="left">The contraction's left operand.</param>
    /// <param name="right">The contraction's right operand.</param>
    public static ImmutableArray<Tensor<T>> InOrder<T>(LoweredKernel lowered, Tensor<T> left, Tensor<T> right)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        CheckElementType<T>(lowered, nameof(left));
        var expression = lowered.Operator.Expression;
        Tensor<T> Operand(TensorDeclaration tensor) =>
            tensor.Equals(expression.Left.Tensor) ? Checked(left, tensor, nameof(left), $"{nameof(left)} ('{tensor.Name}')")
            : tensor.Equals(expression.Right.Tensor) ? Checked(right, tensor, nameof(right), $"{nameof(right)} ('{tensor.Name}')")
            : throw new ArgumentException($"The operator's input '{tensor.Name}' is neither its left nor its right operand; run it with the inputs by name.", nameof(left));
        return [.. lowered.Inputs.Select(Operand)];
    }

    private static void CheckElementType<T>(LoweredKernel lowered, string parameter)
    {
        var type = typeof(T) == typeof(float) ? ElementType.Float32 : typeof(T) == typeof(double) ? ElementType.Float64 : (ElementType?)null;
        var computes = lowered.Operator.ElementType;
        if (type != computes)
        {
            var holds = type?.ToString() ?? typeof(T).Name;
            throw new ArgumentException($"The operator computes {computes}; the tensors hold {holds}. Describe the operator with elementType: ElementType.{holds} or pass {computes} tensors.", parameter);
        }
    }

    /// <summary>Each tensor flattened row-major into an array of its own.</summary>
    private static ImmutableArray<T[]> Copies<T>(ImmutableArray<Tensor<T>> tensors) =>
        [.. tensors.Select(tensor =>
        {
            var values = new T[tensor.FlattenedLength];
            tensor.FlattenTo(values);
            return values;
        })];

    /// <summary><paramref name="tensor"/>, which must have <paramref name="declaration"/>'s shape.</summary>
    private static Tensor<T> Checked<T>(Tensor<T>? tensor, TensorDeclaration declaration, string parameter, string what)
    {
        if (tensor is null)
        {
            throw new ArgumentNullException(parameter, $"{what} is null.");
        }

        var lengths = tensor.Lengths;
        var shape = declaration.Shape;
        var matches = lengths.Length == shape.Length;
        for (var d = 0; matches && d < shape.Length; d++)
        {
            matches = lengths[d] == shape[d];
        }

        if (!matches)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{what} has shape [{string.Join(", ", lengths.ToArray())}]; the operator needs [{string.Join(", ", shape)}]."), parameter);
        }

        return tensor;
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string Declared(IEnumerable<TensorDeclaration> tensors) => string.Join(", ", tensors.Select(t => $"'{t.Name}' [{string.Join("][", t.Shape)}]"));
}
