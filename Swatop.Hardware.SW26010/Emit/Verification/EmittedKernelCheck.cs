using System.Globalization;
using System.Runtime.InteropServices;
using Swatop.Core;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// The host check of a kernel's emitted C: its sources compiled for the real machine against the SW5
/// header stand-ins (<see cref="Sw5HeaderCheck"/>), then built with gcc against the athread shim, run
/// once (<c>./kernel run</c>) on seeded operands in the framework's layout (an epilogue's tensors too, drawn after the operands), and the output compared
/// with the reference. A missing gcc, a failing compile or run, or a mismatch throws a
/// <see cref="GccShimException"/> that names the kernel and keeps its folder.
/// </summary>
/// <param name="Kernel">The label of the kernel in messages: its operator's signature.</param>
/// <param name="Left">The left operand it ran on (for float, the float values, widened exactly).</param>
/// <param name="Right">The right operand, widened to double.</param>
/// <param name="Output">What the emitted C computed, widened to double.</param>
/// <param name="Comparison">The output against the reference.</param>
/// <param name="Counts">What every CPE did, as the shim counted it over all core groups.</param>
/// <param name="Inputs">Every input it ran on in the order of <see cref="OperatorSpec.Inputs"/> (left, right, then the epilogue's), widened to double.</param>
internal sealed record EmittedKernelCheck(string Kernel, double[] Left, double[] Right, double[] Output, ReferenceComparison Comparison, IReadOnlyList<ShimCpeCounts> Counts, IReadOnlyList<double[]> Inputs)
{
    /// <summary>Builds, runs and checks the emitted C of <paramref name="kernel"/> on operands drawn from <paramref name="seed"/>.</summary>
    /// <exception cref="GccShimException">gcc is missing, the compile or the run failed, or the output does not match the reference.</exception>
    public static EmittedKernelCheck Run(Sw26010Kernel kernel, int seed, GccShimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return Run(kernel, kernel.Sources.Files, seed, options);
    }

    /// <summary>The check of <paramref name="files"/> (name to text) as the sources of <paramref name="kernel"/>: its emitted files, or a changed copy of them.</summary>
    /// <exception cref="GccShimException">gcc is missing, the compile or the run failed, or the output does not match the reference.</exception>
    internal static EmittedKernelCheck Run(Sw26010Kernel kernel, IReadOnlyDictionary<string, string> files, int seed, GccShimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(files);
        var spec = kernel.Operator;
        var label = spec.Signature;
        Sw5HeaderCheck.Run(label, files, options);
        using var build = GccShim.Build(label, files, options);
        var expression = spec.Expression;
        var single = spec.ElementType == ElementType.Float32;
        var inputs = ReferenceOperands.Draw(spec, seed);
        if (single)
        {
            inputs = [.. inputs.Select(values => Narrow(values).Select(v => (double)v).ToArray())];
        }

        var (left, right) = (inputs[0], inputs[1]);
        string[] names = ["left.bin", "right.bin", .. Enumerable.Range(0, inputs.Length - 2).Select(i => string.Create(CultureInfo.InvariantCulture, $"e{i}.bin"))];
        for (var i = 0; i < inputs.Length; i++)
        {
            WriteElements(build.PathOf(names[i]), inputs[i], single);
        }

        var run = build.Run(["run", .. names, "out.bin"]);
        var bytes = build.ReadBytes("out.bin");
        var expected = expression.Output.Tensor.ElementLength * (single ? sizeof(float) : sizeof(double));
        if (bytes.Length != expected)
        {
            throw build.Mismatch(string.Create(CultureInfo.InvariantCulture, $"the program wrote {bytes.Length} bytes of output, the operator has {expected}."));
        }

        double[] output;
        ReferenceComparison comparison;
        if (single)
        {
            var floats = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            comparison = ReferenceComparison.Compare(spec, kernel.Lowered.Schedule, [.. inputs.Select(Narrow)], floats);
            output = [.. floats.Select(v => (double)v)];
        }
        else
        {
            output = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
            comparison = ReferenceComparison.Compare(spec, kernel.Lowered.Schedule, inputs, output);
        }

        if (!comparison.Passed)
        {
            throw build.Mismatch($"the emitted C's output does not match the reference: {comparison}.");
        }

        return new EmittedKernelCheck(label, left, right, output, comparison, run.Counts, inputs);
    }

    private static float[] Narrow(double[] values) => [.. values.Select(v => (float)v)];

    private static void WriteElements(string path, double[] values, bool single)
    {
        if (single)
        {
            File.WriteAllBytes(path, MemoryMarshal.AsBytes(Narrow(values).AsSpan()).ToArray());
        }
        else
        {
            File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }
    }
}
