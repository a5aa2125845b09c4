using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Swatop.Core.GraphTuning;
using Swatop.Core.Targets;

namespace Swatop.Core;

/// <summary>
/// What a tuned network's run costs end to end on its target: each operator's kernel, layout steps and fused
/// epilogue (<see cref="Layers"/>), the graph's other nodes as the target runs them (<see cref="Nodes"/>: poolings as
/// CPE kernels, element-wise nodes that did not fuse, concatenations and softmaxes on the MPE where the target has no
/// faster kernel), the views that take no time (<see cref="Views"/>: flattens, reshapes) and any node the target does
/// not time (<see cref="Untimed"/>). The times are those measured on the target when the network was tuned; a run
/// computes the same kernels.
/// </summary>
public sealed record NetworkProfile
{
    /// <summary>The profile of a tuned graph.</summary>
    /// <param name="tuned">The tuned graph.</param>
    public NetworkProfile(GraphTuningResult tuned)
    {
        ArgumentNullException.ThrowIfNull(tuned);
        Layers = [.. tuned.Layers.Select(l => new LayerProfile(l.Name, l.Operation, l.Schedule, l.KernelSeconds, l.Steps, l.Operator.Epilogue))];
        Untimed = [.. tuned.UntimedNodes.Select(n => n.Name)];
        Nodes = tuned.NodeTimes;
        Views = [.. tuned.ViewNodes.Select(n => n.Name)];
        Flops = tuned.Graph.Flops;
        FrameworkSeconds = tuned.FrameworkSeconds;
    }

    /// <summary>The operators in execution order.</summary>
    public ImmutableArray<LayerProfile> Layers { get; }

    /// <summary>The nodes outside the kernels that the target did not time.</summary>
    public ImmutableArray<string> Untimed { get; }

    /// <summary>The times of the nodes that are neither operators nor views, in execution order, each named after its node and saying whether the MPE runs it.</summary>
    public ImmutableArray<StepTime> Nodes { get; }

    /// <summary>The flattens and reshapes: views of their input, no time.</summary>
    public ImmutableArray<string> Views { get; }

    /// <summary>The time of the nodes that are not operators.</summary>
    public double NodeSeconds => Nodes.Sum(n => n.Seconds);

    /// <summary>The operators' floating-point operations.</summary>
    public long Flops { get; }

    /// <summary>The same operators called one by one in the framework's layout, each with its fastest kernel on its own.</summary>
    public double FrameworkSeconds { get; }

    /// <summary>The kernels' time.</summary>
    public double KernelSeconds => Layers.Sum(l => l.KernelSeconds);

    /// <summary>The layout steps' time.</summary>
    public double LayoutSeconds => Layers.Sum(l => l.LayoutSeconds);

    /// <summary>What a caller waits for: kernels (their epilogues inside), layout steps and the other nodes.</summary>
    public double EndToEndSeconds => KernelSeconds + LayoutSeconds + NodeSeconds;

    /// <summary>The operators' flops per second end to end, in GFLOPS.</summary>
    public double Gflops => EndToEndSeconds > 0 ? Flops / EndToEndSeconds / 1e9 : 0;

    /// <summary>Equal when the layers, the untimed nodes and the figures are.</summary>
    /// <param name="other">The other profile.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(NetworkProfile? other) =>
        other is not null && Layers.SequenceEqual(other.Layers) && Untimed.SequenceEqual(other.Untimed) && Nodes.SequenceEqual(other.Nodes)
        && Views.SequenceEqual(other.Views) && Flops == other.Flops
        && FrameworkSeconds.Equals(other.FrameworkSeconds);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Layers.Length, Flops, FrameworkSeconds);

    /// <summary>A summary line, one line per layer, one per other node, then the views and the untimed nodes when there are any.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{EndToEndSeconds * 1e3:F3} ms end to end ({Gflops:F1} GFLOPS): {KernelSeconds * 1e3:F3} ms of kernels, {LayoutSeconds * 1e3:F3} ms of layout steps");
        if (!Nodes.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $", {NodeSeconds * 1e3:F3} ms of other nodes");
        }

        foreach (var layer in Layers)
        {
            text.Append('\n').Append(layer);
        }

        foreach (var node in Nodes)
        {
            text.Append("\nnode ").Append(node);
        }

        if (!Views.IsEmpty)
        {
            text.Append("\nviews, no time: ").Append(string.Join(", ", Views));
        }

        if (!Untimed.IsEmpty)
        {
            text.Append("\nnot timed: ").Append(string.Join(", ", Untimed));
        }

        return text.ToString();
    }
}
