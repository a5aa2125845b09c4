using System.Collections.Concurrent;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>
/// Tuning results kept in memory, keyed as the tuning database keys its records (the operator's and the
/// target's signatures) and by the objective: a second <see cref="OperatorTuning.Tune"/> of the same
/// operator is a lookup. <c>spec.Tune()</c> without options goes through <see cref="Process"/>, so a
/// framework that tunes each layer at model load searches each distinct operator once per process;
/// <see cref="TuningOptions.Memory"/> names one explicitly, and <see cref="TuningOptions.Database"/>
/// keeps results across processes. Safe to use from several threads.
/// </summary>
public sealed class TuningMemory
{
    private readonly ConcurrentDictionary<(string Operator, string Target, TuningObjective Objective), TuningResult> _results = new();

    /// <summary>The memory of this process, which <c>Tune()</c> without options reads and fills.</summary>
    public static TuningMemory Process { get; } = new();

    /// <summary>How many results it holds.</summary>
    public int Count => _results.Count;

    /// <summary>The result remembered for <paramref name="spec"/> on <paramref name="target"/> by <paramref name="objective"/>, or null.</summary>
    public TuningResult? Recall(OperatorSpec spec, ITarget target, TuningObjective objective = TuningObjective.EndToEnd)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        return _results.TryGetValue((spec.Signature, target.Signature, objective), out var result) ? result : null;
    }

    /// <summary>Keeps <paramref name="result"/> for its operator, target and objective, replacing what was kept.</summary>
    public void Remember(TuningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _results[(result.Operator.Signature, result.Target.Signature, result.Objective)] = result;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => _results.Clear();
}
