namespace Swatop.Core.Ir.Passes;

/// <summary>A transformation or check of a whole <see cref="LoopKernel"/>, run by name from a <see cref="PassPipeline"/>.</summary>
public interface IKernelPass
{
    /// <summary>The name pipelines use for the pass, e.g. <c>simplify</c>.</summary>
    string Name { get; }

    /// <summary>Runs the pass; returns the very same instance when nothing changed.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="context">The options of the run.</param>
    /// <returns>The transformed kernel.</returns>
    /// <exception cref="IrException">The kernel breaks a rule the pass checks.</exception>
    LoopKernel Run(LoopKernel kernel, PassContext context);
}
