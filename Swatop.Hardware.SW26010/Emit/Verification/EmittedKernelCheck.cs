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
/// with the reference. A kernel with constant inputs (<see cref="PreparedEntry"/>) is run again through its prepared calls
/// (<c>./kernel prepared</c>: the constants prepared once, the run on the rest), whose output must equal the plain call's bit for bit
/// and pass the reference the same way: by default where those calls spawn CPE programs the plain call does not (a prepared
/// form's transform and run kernels, the composite Winograd's), since elsewhere they run the plain call's own programs with
/// the constants' packs moved into the prepare function, and a second run would double the check's time. A missing gcc, a failing compile or run, or a mismatch throws a
/// <see cref="GccShimException"/> that names the kernel and keeps its folder.
/// </summary>
/// <param name="Kernel">The label of the kernel in messages: its operator's signature.</param>
/// <param name="Left">The left operand it ran on (for float, the float values, widened exactly).</param>
/// <param name="Right">The right operand, widened to double.</param>
/// <param name="Output">What the emitted C computed, widened to double.</param>
/// <param name="Comparison">The output against the reference.</param>
/// <param name="Counts">What every CPE did, as the shim counted it over all core groups.</param>
/// <param name="Inputs">Every input it ran on in the order of <see cref="OperatorSpec.Inputs"/> (left, right, then the epilogue's), widened to double.</param>
/// <param name="Prepared">What the prepared calls did, or null for a kernel without constant inputs, which has none, or whose prepared calls were not run.</param>
internal sealed record EmittedKernelCheck(string Kernel, double[] Left, double[] Right, double[] Output, ReferenceComparison Comparison, IReadOnlyList<ShimCpeCounts> Counts, IReadOnlyList<double[]> Inputs,
    EmittedKernelCheck.PreparedRun? Prepared)
{
    /// <summary>What the emitted prepared calls computed on the same operands.</summary>
    /// <param name="Output">Their output, widened to double: the plain call's, bit for bit.</param>
    /// <param name="Comparison">Their output against the reference.</param>
    /// <param name="Counts">What every CPE did over the prepare and the run, as the shim counted it over all core groups.</param>
    internal sealed record PreparedRun(double[] Output, ReferenceComparison Comparison, IReadOnlyList<ShimCpeCounts> Counts);

    /// <summary>Builds, runs and checks the emitted C of <paramref name="kernel"/> on operands drawn from <paramref name="seed"/>.</summary>
    /// <param name="kernel">The kernel whose emitted C is checked.</param>
    /// <param name="seed">The seed of the operands.</param>
    /// <param name="options">How gcc and the shim run.</param>
    /// <param name="preparedCalls">Whether to run the prepared calls too: null for the default (see the class), true for every kernel that has them.</param>
    /// <exception cref="GccShimException">gcc is missing, the compile or the run failed, or the output does not match the reference.</exception>
    public static EmittedKernelCheck Run(Sw26010Kernel kernel, int seed, GccShimOptions? options = null, bool? preparedCalls = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return Run(kernel, kernel.Sources.Files, seed, options, preparedCalls);
    }

    /// <summary>The check of <paramref name="files"/> (name to text) as the sources of <paramref name="kernel"/>: its emitted files, or a changed copy of them.</summary>
    /// <exception cref="GccShimException">gcc is missing, the compile or the run failed, or the output does not match the reference.</exception>
    internal static EmittedKernelCheck Run(Sw26010Kernel kernel, IReadOnlyDictionary<string, string> files, int seed, GccShimOptions? options = null, bool? preparedCalls = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(files);
        var spec = kernel.Operator;
        var label = spec.Signature;
        Sw5HeaderCheck.Run(label, files, options);
        using var build = GccShim.Build(label, files, options);
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
        var (output, comparison) = Compare(build, kernel, inputs, bytes, "the emitted C's output");
        PreparedRun? prepared = null;
        if (PreparedEntry.For(kernel.Lowered) is { } entry && (preparedCalls ?? entry.Form is not null))
        {
            var preparedRun = build.Run(["prepared", .. names, "prepared.bin"]);
            var preparedBytes = build.ReadBytes("prepared.bin");
            var (preparedOutput, preparedComparison) = Compare(build, kernel, inputs, preparedBytes, "the emitted prepared calls' output");
            var unit = single ? sizeof(float) : sizeof(double);
            var differing = Enumerable.Range(0, bytes.Length / unit).Where(i => !bytes.AsSpan(i * unit, unit).SequenceEqual(preparedBytes.AsSpan(i * unit, unit))).ToList();
            if (differing.Count > 0)
            {
                var first = differing[0];
                throw build.Mismatch(string.Create(CultureInfo.InvariantCulture,
                    $"the emitted prepared calls' output differs from the plain call's in {differing.Count} of {bytes.Length / unit} elements; element {first} is {preparedOutput[first]:R}, the plain call's {output[first]:R}."));
            }

            prepared = new PreparedRun(preparedOutput, preparedComparison, preparedRun.Counts);
        }

        return new EmittedKernelCheck(label, left, right, output, comparison, run.Counts, inputs, prepared);
    }

    /// <summary><paramref name="bytes"/>, what the program wrote as <paramref name="what"/>, checked for length and against the reference, widened to double.</summary>
    private static (double[] Output, ReferenceComparison Comparison) Compare(GccShimBuild build, Sw26010Kernel kernel, double[][] inputs, byte[] bytes, string what)
    {
        var spec = kernel.Operator;
        var single = spec.ElementType == ElementType.Float32;
        var expected = spec.Expression.Output.Tensor.ElementLength * (single ? sizeof(float) : sizeof(double));
        if (bytes.Length != expected)
        {
            throw build.Mismatch(string.Create(CultureInfo.InvariantCulture, $"the program wrote {bytes.Length} bytes as {what}, the operator has {expected}."));
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
            throw build.Mismatch($"{what} does not match the reference: {comparison}.");
        }

        return (output, comparison);
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
