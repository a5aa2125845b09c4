namespace Swatop.Core;

/// <summary>
/// One element-wise step of an <see cref="Epilogue"/>. The kinds of step (bias, activation, residual add)
/// are defined with the operators and importers that produce them; each names the tensors it reads
/// besides the output tile and prints as the text of the operator's signature. Immutable, compared by value.
/// </summary>
public abstract record EpilogueStep
{
    /// <summary>Only this library defines steps, so that lowering, the cost model and the emitter know every kind.</summary>
    private protected EpilogueStep()
    {
    }

    /// <summary>The tensors the step reads besides the output tile.</summary>
    public abstract IEnumerable<TensorDeclaration> Tensors { get; }
}
