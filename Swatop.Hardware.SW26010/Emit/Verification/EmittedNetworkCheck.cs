using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Swatop.Core;
using Swatop.Core.Graphs;
using Swatop.Hardware.Sw26010.Emit.Network;
using Swatop.Hardware.Sw26010.Graphs;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// The host check of a network's emitted C: compiled as the emitted Makefile compiles it for sw5cc against the SW5 header
/// stand-ins (<see cref="Sw5HeaderCheck"/>), then built with gcc against the athread shim, run once (<c>./network run FOLDER
/// nodes</c>) on the constants and seeded inputs the emulator's run takes (<see cref="Sw26010GraphRun.RunValues{T}"/>),
/// and every node's value, in execution order, then every output compared with the emulator's. An element passes within
/// the single-kernel bound of the element type (<see cref="ReferenceComparison.ToleranceFor"/>) relative to its own magnitude
/// plus the mean magnitude of its value: what summing in another order, or a host function's rounding, can reach. The first
/// node outside it fails the check, and the message names it.
/// </summary>
/// <param name="Network">The network's name.</param>
/// <param name="Nodes">Each node's comparison, in execution order, then each output's.</param>
public sealed record EmittedNetworkCheck(string Network, IReadOnlyList<EmittedValueComparison> Nodes)
{
    /// <summary>Builds, runs and checks the emitted C of <paramref name="network"/> on inputs drawn from <paramref name="seed"/>.</summary>
    /// <exception cref="GccShimException">gcc is missing, the compile or the run failed, or a node's value does not match the emulator's; the message names the node.</exception>
    internal static EmittedNetworkCheck Run(TunedNetwork network, int seed, GccShimOptions? options) => Run(network, network.Emit().Files, seed, options);

    /// <summary>The check of <paramref name="files"/> as <paramref name="network"/>'s sources: its emitted files or a changed copy.</summary>
    /// <exception cref="GccShimException">gcc is missing, the compile or the run failed, or a node's value does not match the emulator's; the message names the node.</exception>
    internal static EmittedNetworkCheck Run(TunedNetwork network, IReadOnlyDictionary<string, string> files, int seed, GccShimOptions? options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(files);
        return network.Tuning.Graph.ElementType == ElementType.Float32
            ? Run<float>(network, files, seed, options)
            : Run<double>(network, files, seed, options);
    }

    private static EmittedNetworkCheck Run<T>(TunedNetwork network, IReadOnlyDictionary<string, string> files, int seed, GccShimOptions? options)
        where T : unmanaged, INumber<T>
    {
        var graph = network.Tuning.Graph;
        var label = $"network {graph.Name}";
        var tensors = Tensors<T>(network, seed);
        var expected = Sw26010GraphRun.RunValues(network.Tuning, tensors);
        Sw5HeaderCheck.Run(label, files, options);
        using var build = GccShim.Build(label, files, options);
        for (var k = 0; k < graph.Constants.Length; k++)
        {
            Write(build.PathOf(string.Create(CultureInfo.InvariantCulture, $"constant_{k}.bin")), tensors[graph.Constants[k].Name]);
        }

        for (var i = 0; i < graph.Inputs.Length; i++)
        {
            Write(build.PathOf(string.Create(CultureInfo.InvariantCulture, $"input_{i}.bin")), tensors[graph.Inputs[i].Name]);
        }

        build.Run("run", ".", "nodes");
        var tolerance = ReferenceComparison.ToleranceFor(graph.ElementType, graph.OperatorNodes.Select(n => n.Spec.Expression.ReductionAxes.Aggregate(1L, (p, a) => p * a.Extent)).DefaultIfEmpty(1).Max());
        var comparisons = new List<EmittedValueComparison>();
        for (var n = 0; n < graph.Nodes.Length; n++)
        {
            var node = graph.Nodes[n];
            comparisons.Add(Compare(build, $"node '{node.Name}' ({node.Operation})", string.Create(CultureInfo.InvariantCulture, $"node_{n}.bin"), node.Name, expected[node.Output.Name], tolerance));
        }

        for (var o = 0; o < graph.Outputs.Length; o++)
        {
            var output = graph.Outputs[o];
            comparisons.Add(Compare(build, $"output '{output.Name}'", string.Create(CultureInfo.InvariantCulture, $"output_{o}.bin"), output.Name, expected[output.Name], tolerance));
        }

        return new EmittedNetworkCheck(graph.Name, comparisons);
    }

    /// <summary>The tensors the emulator's run and the emitted C's take: the network's constants (or seeded ones) and seeded inputs.</summary>
    internal static IReadOnlyDictionary<string, Tensor<T>> Tensors<T>(TunedNetwork network, int seed)
        where T : unmanaged, INumber<T>
    {
        var graph = network.Tuning.Graph;
        if (network.Network.Constants<T>() is not { } carried)
        {
            return GraphReferenceOperands.Draw<T>(graph, seed);
        }

        var constants = graph.Constants.ToDictionary(c => c.Name, c => carried[c.Name], StringComparer.Ordinal);
        return GraphReferenceOperands.Draw(graph, seed, constants);
    }

    private static EmittedValueComparison Compare<T>(GccShimBuild build, string what, string file, string name, Tensor<T> expected, double tolerance)
        where T : unmanaged, INumber<T>
    {
        var bytes = build.ReadBytes(file);
        var actual = MemoryMarshal.Cast<byte, T>(bytes).ToArray();
        var reference = new T[expected.FlattenedLength];
        expected.FlattenTo(reference);
        if (actual.Length != reference.Length)
        {
            throw build.Mismatch(string.Create(CultureInfo.InvariantCulture, $"{what}: the emitted C wrote {actual.Length} elements, the emulator's value has {reference.Length}."));
        }

        var mean = reference.Length == 0 ? 0 : reference.Average(v => Math.Abs(double.CreateTruncating(v)));
        long mismatches = 0, worstIndex = 0;
        var worst = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var e = double.CreateTruncating(reference[i]);
            var a = double.CreateTruncating(actual[i]);
            var error = Math.Abs(a - e) / (Math.Abs(e) + mean + double.Epsilon);
            if (!(error <= tolerance))
            {
                mismatches++;
            }

            if (!(error <= worst))
            {
                (worst, worstIndex) = (error, i);
            }
        }

        if (mismatches > 0)
        {
            throw build.Mismatch(string.Create(CultureInfo.InvariantCulture,
                $"{what} differs from the emulator's value in {mismatches} of {reference.Length} elements; the worst, element {worstIndex}, is {actual[worstIndex]} instead of {reference[worstIndex]} (relative error {worst:G3}, bound {tolerance:G3})."));
        }

        return new EmittedValueComparison(name, reference.Length, worst, tolerance);
    }

    private static void Write<T>(string path, Tensor<T> tensor)
        where T : unmanaged, INumber<T>
    {
        var values = new T[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }
}
