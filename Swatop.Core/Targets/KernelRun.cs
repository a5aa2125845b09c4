using System.Numerics.Tensors;

namespace Swatop.Core.Targets;

/// <summary>The result of running a compiled kernel: the output in the framework layout and the profile.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="Output">The output tensor.</param>
/// <param name="Profile">How long it took on the target, and why.</param>
public sealed record KernelRun<T>(Tensor<T> Output, KernelProfile Profile);
