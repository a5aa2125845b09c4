using System.Collections.Immutable;
using System.Numerics;
using System.Numerics.Tensors;
using Swatop.Core.Targets;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>An SW26010 kernel with its constant inputs packed into each core group's memory once.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class PreparedKernel<T> : IPreparedKernel<T>
    where T : unmanaged, INumberBase<T>
{
    private readonly Sw26010Kernel _kernel;
    private readonly ImmutableDictionary<string, T[]?[]> _copies;
    private readonly ImmutableArray<StepTime> _steps;

    internal PreparedKernel(Sw26010Kernel kernel, ImmutableDictionary<string, T[]?[]> copies, ImmutableArray<StepTime> steps)
    {
        (_kernel, _copies, _steps) = (kernel, copies, steps);
    }

    /// <inheritdoc/>
    public ICompiledKernel Kernel => _kernel;

    /// <inheritdoc/>
    public IReadOnlyList<StepTime> PrepareSteps => _steps;

    /// <inheritdoc/>
    public KernelRun<T> Run(IReadOnlyDictionary<string, Tensor<T>> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var lowered = _kernel.Lowered;
        var prepared = activations.Keys.Where(_copies.ContainsKey).ToList();
        if (prepared.Count > 0)
        {
            throw new ArgumentException($"{nameof(activations)} holds {string.Join(", ", prepared.Select(n => $"'{n}'"))}, prepared once already; a prepared kernel takes the other inputs alone.", nameof(activations));
        }

        var expected = lowered.Inputs.Where(t => !_copies.ContainsKey(t.Name)).ToImmutableArray();
        var given = KernelInputs.InOrder(lowered, activations, expected, nameof(activations), "its activations");
        var byName = expected.Select((t, i) => (t.Name, Values: given[i])).ToDictionary(p => p.Name, p => p.Values, StringComparer.Ordinal);
        return _kernel.Call(byName, _copies, _steps);
    }
}
