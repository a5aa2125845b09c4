using System.Numerics.Tensors;

namespace Swatop.Core.Targets;

/// <summary>
/// A compiled kernel with its constant inputs packed once (<see cref="ICompiledKernel.Prepare(IReadOnlyDictionary{string, Tensor{double}})"/>):
/// each run takes the other inputs, the activations, alone.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IPreparedKernel<T>
{
    /// <summary>The kernel.</summary>
    ICompiledKernel Kernel { get; }

    /// <summary>The one-off steps that packed the constants, with their times.</summary>
    IReadOnlyList<StepTime> PrepareSteps { get; }

    /// <summary>Runs the operator on the activations by tensor name; the profile's steps leave the prepared constants out.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="activations"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">An activation is missing, is a prepared constant or not an input, or has another shape; the message names it.</exception>
    KernelRun<T> Run(IReadOnlyDictionary<string, Tensor<T>> activations);
}
