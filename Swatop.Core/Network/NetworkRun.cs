using System.Numerics;
using System.Numerics.Tensors;

namespace Swatop.Core;

/// <summary>A run of a <see cref="TunedNetwork"/>: the network's outputs by name, in the framework's layout, and its end-to-end profile.</summary>
/// <typeparam name="T">The network's element type.</typeparam>
/// <param name="Outputs">The outputs, by graph output name.</param>
/// <param name="Profile">Per layer: the kernel, the layout steps and the epilogue.</param>
public sealed record NetworkRun<T>(IReadOnlyDictionary<string, Tensor<T>> Outputs, NetworkProfile Profile)
    where T : unmanaged, INumber<T>;
