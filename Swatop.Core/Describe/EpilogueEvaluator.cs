using System.Numerics;

namespace Swatop.Core;

/// <summary>
/// The reference semantics of an <see cref="Epilogue"/>: its steps applied in order to each output element in
/// the element type, one IEEE operation or C conditional per step, as the kernels' element-wise primitive
/// computes them: a bias adds <c>bias[channel]</c>, a residual add adds <c>residual</c> at the element's own
/// offset, a clip takes <c>t &lt; min ? min : t</c> and then <c>max &lt; t ? max : t</c> (an infinite bound
/// does nothing). The epilogue's tensors are flat row-major spans in the order of
/// <see cref="OperatorSpec.EpilogueInputs"/>.
/// </summary>
public static class EpilogueEvaluator
{
    /// <summary>Applies <paramref name="spec"/>'s epilogue to <paramref name="output"/> in place.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="spec">The operator.</param>
    /// <param name="output">Its output, row-major.</param>
    /// <param name="inputs">The epilogue's tensors, in the order of <see cref="OperatorSpec.EpilogueInputs"/>.</param>
    /// <exception cref="ArgumentException">There are not as many tensors as the epilogue reads, or one's length is not its element count.</exception>
    public static void Apply<T>(OperatorSpec spec, Span<T> output, IReadOnlyList<T[]> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var element = For(spec, inputs);
        ReferenceEvaluator.CheckLength(output.Length, spec.Expression.Output.Tensor, nameof(output));
        for (var offset = 0; offset < output.Length; offset++)
        {
            output[offset] = element.Apply(output[offset], offset);
        }
    }

    /// <summary>The epilogue of <paramref name="spec"/> over <paramref name="inputs"/>, to apply element by element.</summary>
    internal static ElementEpilogue<T> For<T>(OperatorSpec spec, IReadOnlyList<T[]> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        var accesses = spec.EpilogueInputs;
        if (inputs.Count != accesses.Length)
        {
            throw new ArgumentException(
                $"inputs.Count = {inputs.Count} does not match the epilogue '{spec.Epilogue}': it reads {accesses.Length} tensor{(accesses.Length == 1 ? "" : "s")} ({string.Join(", ", accesses.Select(a => a.Tensor))}).",
                nameof(inputs));
        }

        for (var i = 0; i < accesses.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i], $"{nameof(inputs)}[{i}]");
            ReferenceEvaluator.CheckLength(inputs[i].Length, accesses[i].Tensor, $"{nameof(inputs)}[{i}]");
        }

        var d = EpilogueOperands.ChannelDimension(spec);
        var output = spec.Expression.Output.Tensor;
        return new ElementEpilogue<T>(spec.Epilogue, inputs, d < 0 ? 1 : output.Strides[d], d < 0 ? 1 : output.Shape[d]);
    }
}

/// <summary>An epilogue bound to its tensors, applied to one output element at a time.</summary>
internal sealed class ElementEpilogue<T>(Epilogue epilogue, IReadOnlyList<T[]> inputs, long channelStride, int channels)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The element at flat output <paramref name="offset"/> after the epilogue, from its value <paramref name="value"/>.</summary>
    public T Apply(T value, long offset) => Apply(value, offset, out _);

    /// <summary>
    /// The same, with <paramref name="magnitude"/> the sum of the magnitudes of every addend and intermediate
    /// value (the scale of the rounding the steps add, for a comparison's bound).
    /// </summary>
    public T Apply(T value, long offset, out double magnitude)
    {
        magnitude = 0;
        var tensor = 0;
        foreach (var step in epilogue.Steps)
        {
            switch (step)
            {
                case BiasStep:
                    var bias = inputs[tensor++][(offset / channelStride) % channels];
                    value += bias;
                    magnitude += double.Abs(double.CreateTruncating(bias)) + double.Abs(double.CreateTruncating(value));
                    break;
                case ResidualAddStep:
                    var residual = inputs[tensor++][offset];
                    value += residual;
                    magnitude += double.Abs(double.CreateTruncating(residual)) + double.Abs(double.CreateTruncating(value));
                    break;
                case ClipStep clip:
                    if (clip.HasMin && value < T.CreateTruncating(clip.Min))
                    {
                        value = T.CreateTruncating(clip.Min);
                    }

                    if (clip.HasMax && T.CreateTruncating(clip.Max) < value)
                    {
                        value = T.CreateTruncating(clip.Max);
                    }

                    break;
            }
        }

        return value;
    }
}
