using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Targets;
using Swatop.Primitives;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// A compiled kernel run on the emulator in its operator's element type, on operands drawn as doubles (a float operator
/// takes them rounded to float), and its output set against the reference.
/// </summary>
internal static class ReferenceRun
{
    /// <summary>The comparison of <paramref name="kernel"/>'s output on <paramref name="inputs"/> with the reference of <paramref name="spec"/>, and that output widened to double.</summary>
    public static (ReferenceComparison Comparison, double[] Output) Of(ICompiledKernel kernel, OperatorSpec spec, double[][] inputs)
    {
        if (spec.ElementType == ElementType.Float64)
        {
            var output = new double[spec.Expression.Output.Tensor.ElementLength];
            kernel.Run(Named(spec, inputs)).Output.FlattenTo(output);
            return (ReferenceComparison.Compare(spec, inputs, output), output);
        }

        var f = inputs.Select(v => v.Select(x => (float)x).ToArray()).ToArray();
        var single = new float[spec.Expression.Output.Tensor.ElementLength];
        kernel.Run(Named(spec, f)).Output.FlattenTo(single);
        return (ReferenceComparison.Compare(spec, f, single), [.. single.Select(v => (double)v)]);
    }

    /// <summary><paramref name="inputs"/>, in the order of the operator's inputs, as tensors by name.</summary>
    public static Dictionary<string, Tensor<T>> Named<T>(OperatorSpec spec, T[][] inputs) =>
        spec.Inputs.Select((t, i) => (t, i)).ToDictionary(p => p.t.Name, p => Tensor.Create(inputs[p.i], [.. p.t.Shape.Select(l => (nint)l)]));
}
