using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Swatop.Core.GraphFusion;
using Swatop.Core.Graphs;
using Swatop.Core.GraphTuning;
using Swatop.Core.Onnx;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;

namespace Swatop.Core;

/// <summary>
/// A network to tune and run as a whole: an <see cref="OperatorGraph"/> (imported from ONNX with
/// <see cref="FromOnnx(string, OnnxImportOptions?)"/>, or built with <see cref="GraphBuilder"/> or
/// <see cref="Graphs.Networks"/> and given to <see cref="FromGraph"/>) with its biases, clamps and residual adds
/// folded into its operators' epilogues (<see cref="EpilogueFusion"/>), and the constants an imported model carries.
/// <see cref="Tune"/> tunes each distinct operator once (through the tuning database of the options) and chooses the
/// layouts jointly (<see cref="GraphTuner"/>); the <see cref="TunedNetwork"/> runs on its target with its end-to-end
/// profile. Immutable.
/// </summary>
public sealed class Network
{
    private readonly OnnxModel? _model;

    private Network(OperatorGraph graph, OperatorGraph unfused, OnnxModel? model)
    {
        Graph = graph;
        Unfused = unfused;
        _model = model;
    }

    /// <summary>The graph as it is tuned and run: the given or imported one with its epilogues fused.</summary>
    public OperatorGraph Graph { get; }

    /// <summary>The graph as given or imported, before fusion.</summary>
    public OperatorGraph Unfused { get; }

    /// <summary>The names of the graph's inputs, the activations <see cref="TunedNetwork.Run{T}"/> takes each run.</summary>
    public ImmutableArray<string> InputNames => [.. Graph.Inputs.Select(v => v.Name)];

    /// <summary>Whether the network carries its constants (an imported model's weights); otherwise each run is given them.</summary>
    public bool HasConstants => _model is not null;

    /// <summary>The ONNX model in <paramref name="path"/>, imported (<see cref="OnnxImport.Load(string, OnnxImportOptions?)"/>) with its weights, and fused.</summary>
    /// <param name="path">The model's file.</param>
    /// <param name="options">The import's options: the batch, the size bound.</param>
    /// <returns>The network.</returns>
    /// <exception cref="OnnxImportException">The file is not a model Swatop can import; the message names the node, its op type and the opset.</exception>
    public static Network FromOnnx(string path, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromModel(OnnxImport.Load(path, options));
    }

    /// <summary>An imported ONNX model's network, with its weights, fused.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The network.</returns>
    public static Network FromModel(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Network(model.Graph.FuseEpilogues(), model.Graph, model);
    }

    /// <summary>The network of <paramref name="graph"/>, fused; each run is given its constants beside its inputs.</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The network.</returns>
    public static Network FromGraph(OperatorGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new Network(graph.FuseEpilogues(), graph, null);
    }

    /// <summary>
    /// Tunes the network for <paramref name="target"/>: each distinct operator once, through the options' tuning
    /// database (a lookup when it holds the operator and the options do not say fresh), then the layouts jointly and
    /// the layout steps measured. Logs to the options' logger as it goes, reports each stage to
    /// <paramref name="progress"/> and stops at the options' cancellation.
    /// </summary>
    /// <param name="target">The target; it must have a cost model.</param>
    /// <param name="options">Strategy, trials, database, logger and cancellation of each operator's tuning.</param>
    /// <param name="progress">Told as each distinct operator starts tuning, then as the layouts are planned and the steps measured.</param>
    /// <returns>The tuned network.</returns>
    /// <exception cref="OperationCanceledException">The options' cancellation was requested.</exception>
    /// <exception cref="ArgumentException">The target has no cost model.</exception>
    public TunedNetwork Tune(ITarget target, TuningOptions? options = null, IProgress<GraphTuningProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        options ??= TuningOptions.Default;
        var logger = options.Logger ?? NullLogger.Instance;
        NetworkLog.Tuning(logger, Graph.Name, Graph.OperatorNodes.Length, Graph.DistinctOperators.Length, Unfused.Nodes.Length - Graph.Nodes.Length, target.Name);
        var clock = Stopwatch.StartNew();
        var logged = new Progress(logger, progress);
        var tuned = Graph.Tune(target, options, logged);
        NetworkLog.Tuned(logger, Graph.Name, tuned.EndToEndSeconds * 1e3, tuned.KernelSeconds * 1e3, tuned.LayoutSeconds * 1e3, clock.Elapsed.TotalSeconds);
        return new TunedNetwork(this, tuned);
    }

    /// <summary>The network's constants as tensors of <typeparamref name="T"/>, when it carries them.</summary>
    internal IReadOnlyDictionary<string, System.Numerics.Tensors.Tensor<T>>? Constants<T>()
        where T : unmanaged, System.Numerics.INumber<T> =>
        _model?.Constants<T>();

    /// <summary>The graph's text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Graph.ToString();

    /// <summary>Logs each stage of the tuning and passes it on.</summary>
    private sealed class Progress(ILogger logger, IProgress<GraphTuningProgress>? inner) : IProgress<GraphTuningProgress>
    {
        public void Report(GraphTuningProgress value)
        {
            NetworkLog.Stage(logger, value.Operator, value.Operators, value.Stage);
            inner?.Report(value);
        }
    }
}
