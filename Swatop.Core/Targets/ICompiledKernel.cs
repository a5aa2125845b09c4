using System.Numerics.Tensors;
using Swatop.Core.Lowering;

namespace Swatop.Core.Targets;

/// <summary>
/// An operator compiled under one schedule for one target: it runs on the target (or its
/// emulator) with tensors in the framework's layouts and returns the output with a profile.
/// </summary>
public interface ICompiledKernel
{
    /// <summary>The lowered and optimized kernel.</summary>
    LoweredKernel Lowered { get; }

    /// <summary>
    /// Runs the operator on double tensors, each input of <see cref="LoweredKernel.Inputs"/> given by its
    /// tensor name in its framework shape.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">
    /// The element type does not match the operator, or an input is missing, is not an input of the operator,
    /// or has another shape; the message names the tensor (see <see cref="KernelInputs.Flatten{T}(LoweredKernel, IReadOnlyDictionary{string, Tensor{T}})"/>).
    /// </exception>
    KernelRun<double> Run(IReadOnlyDictionary<string, Tensor<double>> inputs);

    /// <summary>Runs the operator on float tensors, each input given by its tensor name.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">The element type does not match the operator, or an input is missing, unknown or of another shape; the message names it.</exception>
    KernelRun<float> Run(IReadOnlyDictionary<string, Tensor<float>> inputs);

    /// <summary>
    /// Runs the operator on double tensors: the contraction's left and right operands in their framework
    /// shapes. A convenience for the named run, for operators whose inputs are those two.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor's shape or the element type does not match the operator; the message names it.</exception>
    KernelRun<double> Run(Tensor<double> left, Tensor<double> right);

    /// <summary>Runs the operator on float tensors: the contraction's left and right operands (a convenience for the named run).</summary>
    /// <exception cref="ArgumentException">A tensor's shape or the element type does not match the operator; the message names it.</exception>
    KernelRun<float> Run(Tensor<float> left, Tensor<float> right);

    /// <summary>
    /// Packs the constant inputs (a layer's weights) once, as a framework does, and returns a kernel whose
    /// runs take the other inputs alone. The prepare step's cost is reported apart, in
    /// <see cref="KernelProfile.PrepareSteps"/>.
    /// </summary>
    /// <param name="constants">Some of the operator's inputs by tensor name, in their framework shapes (see <see cref="Core.OperatorSpec.ConstantInputs"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="constants"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">A tensor is not an input or has another shape, the element type is not the operator's, or every input is given (nothing would be left per call); the message names the tensor.</exception>
    IPreparedKernel<double> Prepare(IReadOnlyDictionary<string, Tensor<double>> constants);

    /// <summary>Packs the constant float inputs once (see the double overload).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="constants"/> or one of its tensors is null.</exception>
    /// <exception cref="ArgumentException">A tensor is not an input or has another shape, the element type is not the operator's, or every input is given.</exception>
    IPreparedKernel<float> Prepare(IReadOnlyDictionary<string, Tensor<float>> constants);

    /// <summary>
    /// The kernel as source code for the real machine (for the SW26010: athread C, a Makefile and a
    /// README), ordered by file name; <c>Sources.WriteTo(folder)</c> writes them.
    /// </summary>
    KernelSources Sources { get; }

    /// <summary>
    /// Runs a call for its time alone, without data (timing-only), as a tuner measures it: end to end, the
    /// layout steps and the kernel, with the operator's constant inputs (<see cref="Core.OperatorSpec.ConstantInputs"/>)
    /// prepared, their packing reported apart in <see cref="KernelProfile.PrepareSteps"/>.
    /// </summary>
    /// <param name="cancellation">Stops the run soon after it is cancelled.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    KernelProfile Measure(CancellationToken cancellation = default);
}
