using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// An ordered list of <see cref="IKernelPass"/> run one after the other on a kernel. Each pass is
/// timed; the IR text after every pass that changed the kernel is logged at debug level. Once the
/// <c>boundary</c> pass has run, later passes see <see cref="PassContext.TilesLowered"/> set.
/// </summary>
public sealed class PassPipeline
{
    private static readonly ImmutableArray<Func<IKernelPass>> Known =
    [
        () => new SimplifyPass(),
        () => new HoistDmaPass(),
        () => new OverlapPutsPass(),
        () => new DoubleBufferPass(),
        () => new BoundaryPass(),
        () => new PlanLdmPass(),
        () => new VerifyPass(),
    ];

    private static readonly ImmutableDictionary<string, Func<IKernelPass>> ByName =
        Known.ToImmutableDictionary(create => create().Name, StringComparer.Ordinal);

    /// <summary>Creates a pipeline of the given passes, run in order.</summary>
    public PassPipeline(IEnumerable<IKernelPass> passes)
    {
        ArgumentNullException.ThrowIfNull(passes);
        Passes = [.. passes];
    }

    /// <summary>The passes, in order.</summary>
    public ImmutableArray<IKernelPass> Passes { get; }

    /// <summary>The names of the passes <see cref="Create"/> knows, in their default order.</summary>
    public static ImmutableArray<string> KnownNames { get; } = [.. Known.Select(create => create().Name)];

    /// <summary>
    /// <c>hoist-dma, overlap-puts, double-buffer, simplify, boundary, simplify, plan-ldm, verify</c>. Double buffering runs
    /// before the first simplification so that its prologue sits before the outermost loop as lowered, loops of one
    /// iteration included: the swDNN schedule then issues its first transfers before zeroing the output, as the
    /// hand-written kernel does, and takes the same simulated time.
    /// </summary>
    public static PassPipeline Default { get; } = Create("hoist-dma", "overlap-puts", "double-buffer", "simplify", "boundary", "simplify", "plan-ldm", "verify");

    /// <summary>Builds a pipeline of the passes named, in order.</summary>
    /// <exception cref="IrException">A name is not a known pass (<see cref="IrDiagnostics.UnknownPass"/>); the message lists the known ones.</exception>
    public static PassPipeline Create(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new PassPipeline(names.Select(name => ByName.TryGetValue(name, out var create)
            ? create()
            : throw new IrException(IrDiagnostics.UnknownPass, $"There is no IR pass named '{name}'; the known passes are {string.Join(", ", KnownNames)}.")));
    }

    /// <summary>Runs the passes on <paramref name="kernel"/>.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="context">The options every pass sees.</param>
    /// <param name="logger">Receives, at debug level, the IR after each pass that changed it.</param>
    /// <returns>The final kernel and each pass's time and whether it changed the kernel.</returns>
    /// <exception cref="IrException">A pass found the kernel broken.</exception>
    public PassPipelineResult Run(LoopKernel kernel, PassContext context, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(context);
        var runs = ImmutableArray.CreateBuilder<PassRun>(Passes.Length);
        foreach (var pass in Passes)
        {
            var start = Stopwatch.GetTimestamp();
            var result = pass.Run(kernel, context);
            var elapsed = Stopwatch.GetElapsedTime(start);
            var changed = !ReferenceEquals(result, kernel);
            runs.Add(new PassRun(pass.Name, elapsed, changed));
            if (changed && logger is not null && logger.IsEnabled(LogLevel.Debug))
            {
                PassPipelineLog.AfterPass(logger, result.Name, pass.Name, (long)elapsed.TotalMicroseconds, result);
            }

            kernel = result;
            if (pass is BoundaryPass)
            {
                context = context with { TilesLowered = true };
            }
        }

        return new PassPipelineResult(kernel, runs.MoveToImmutable());
    }
}
