using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;

namespace Swatop.Core;

/// <summary>
/// A <see cref="Network"/> tuned for a target (<see cref="Network.Tune"/>): a kernel for each operator and the layouts
/// chosen jointly (<see cref="Tuning"/>), its <see cref="Profile"/>, and <see cref="Run{T}"/> on the target.
/// </summary>
public sealed class TunedNetwork
{
    private Targets.KernelSources? _sources;

    internal TunedNetwork(Network network, GraphTuningResult tuning)
    {
        Network = network;
        Tuning = tuning;
        Profile = new NetworkProfile(tuning);
    }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <summary>The graph tuner's result: the candidates, the layout plan, the measured layers.</summary>
    public GraphTuningResult Tuning { get; }

    /// <summary>The end-to-end profile: per layer its kernel, layout steps and epilogue.</summary>
    public NetworkProfile Profile { get; }

    /// <summary>
    /// Runs the network on its target, exact (<see cref="Targets.ITarget.RunGraph{T}"/>): <paramref name="tensors"/>
    /// gives each graph input (and, for a network that does not carry its constants, each constant) by name, in
    /// the framework's layout.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> for a float32 network, <see cref="double"/> for a float64 one.</typeparam>
    /// <param name="tensors">The inputs (and constants), by name.</param>
    /// <param name="logger">Told when the run is done.</param>
    /// <returns>The outputs and the profile.</returns>
    /// <exception cref="ArgumentException">
    /// <typeparamref name="T"/> is not the network's element type, a tensor is missing, unknown or of the wrong shape,
    /// or a tensor is given for a constant the network carries.
    /// </exception>
    /// <exception cref="NotSupportedException">The target runs no whole graphs.</exception>
    public NetworkRun<T> Run<T>(IReadOnlyDictionary<string, Tensor<T>> tensors, ILogger? logger = null)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var graph = Tuning.Graph;
        GraphReference.CheckElementType<T>(graph, nameof(T));
        var all = new Dictionary<string, Tensor<T>>(tensors, StringComparer.Ordinal);
        if (Network.Constants<T>() is { } constants)
        {
            foreach (var (name, tensor) in constants)
            {
                if (!all.TryAdd(name, tensor))
                {
                    throw new ArgumentException(
                        $"tensors['{name}'] is a constant the network carries (its imported weights); give only its inputs: {string.Join(", ", Network.InputNames)}.",
                        nameof(tensors));
                }
            }
        }

        var clock = Stopwatch.StartNew();
        var outputs = Tuning.Target.RunGraph(Tuning, all);
        NetworkLog.Ran(logger ?? NullLogger.Instance, graph.Name, Tuning.Target.Name, outputs.Count, clock.Elapsed.TotalSeconds);
        return new NetworkRun<T>(outputs, Profile);
    }

    /// <summary>
    /// The network's source files for its target (<see cref="Targets.ITarget.EmitGraph"/>): a function per distinct kernel,
    /// the nodes that are not operators as host code, and a runner that prepares the constants once into the layouts the
    /// kernels read and chains every step of the plan in order. Emitted on first use.
    /// </summary>
    /// <returns>The files, name to text; <see cref="Targets.KernelSources.WriteTo"/> writes them.</returns>
    /// <exception cref="NotSupportedException">The target emits no whole graphs.</exception>
    public Targets.KernelSources Emit() => _sources ??= Tuning.Target.EmitGraph(Tuning);

    /// <summary>The profile's text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Profile.ToString();
}
