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

    /// <summary>Runs the operator on double tensors: the contraction's left and right operands in their framework shapes.</summary>
    /// <exception cref="ArgumentException">A tensor's shape or the element type does not match the operator; the message names it.</exception>
    KernelRun<double> Run(Tensor<double> left, Tensor<double> right);

    /// <summary>Runs the operator on float tensors.</summary>
    /// <exception cref="ArgumentException">A tensor's shape or the element type does not match the operator; the message names it.</exception>
    KernelRun<float> Run(Tensor<float> left, Tensor<float> right);

    /// <summary>
    /// The kernel as source code for the real machine (for the SW26010: athread C, a Makefile and a
    /// README), ordered by file name; <c>Sources.WriteTo(folder)</c> writes them.
    /// </summary>
    KernelSources Sources { get; }

    /// <summary>Runs the kernel for its time alone, without data (timing-only), as a tuner measures it.</summary>
    /// <param name="cancellation">Stops the run soon after it is cancelled.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    KernelProfile Measure(CancellationToken cancellation = default);
}
