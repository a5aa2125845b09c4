using System.Collections.Immutable;

namespace Swatop.Core.Ir.Passes;

/// <summary>What a <see cref="PassPipeline"/> run produced: the final kernel and how each pass went.</summary>
/// <param name="Kernel">The kernel after the last pass.</param>
/// <param name="Passes">Each pass run, in order.</param>
public sealed record PassPipelineResult(LoopKernel Kernel, ImmutableArray<PassRun> Passes)
{
    /// <summary>The time all passes took together.</summary>
    public TimeSpan Elapsed => Passes.Aggregate(TimeSpan.Zero, (total, run) => total + run.Elapsed);
}

/// <summary>One pass of a pipeline run.</summary>
/// <param name="Name">The pass's name.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Changed">Whether it returned a different kernel.</param>
public sealed record PassRun(string Name, TimeSpan Elapsed, bool Changed);
