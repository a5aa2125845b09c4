using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.GraphTuning;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// How a call moves one operand of a kernel: where the caller keeps it (<see cref="Holding"/>, by
/// <see cref="CallerHoldings"/>) and the layout steps between there and the kernel's placement, an input's from its
/// holding to the kernel, the output's from the kernel to its holding (<see cref="LayoutConversion.Steps"/>). A step that
/// unpacks leaves the value in the framework's layout in the shared memory; a pack or a reorder leads to the route's end.
/// </summary>
/// <param name="Tensor">The operand.</param>
/// <param name="Holding">Where the caller keeps it: <see langword="null"/> for the framework's layout in the shared memory.</param>
/// <param name="Steps">The steps, in order; none when the kernel reads or writes the operand where the caller keeps it.</param>
/// <param name="IsOutput">Whether the operand is the kernel's output.</param>
internal sealed record CallRoute(TensorDeclaration Tensor, TensorPlacement? Holding, ImmutableArray<Sw26010LayoutStep> Steps, bool IsOutput)
{
    /// <summary>
    /// The route of every operand of <paramref name="lowered"/> (its inputs in order, then its output) for the target's
    /// caller (<see cref="Core.Scheduling.TargetLimits.CallerMemory"/>). A step that is the framework's pack or unpack of the
    /// operand is <paramref name="packs"/>' or <paramref name="unpack"/>'s own, not compiled again.
    /// </summary>
    public static ImmutableArray<CallRoute> For(Sw26010Target target, LoweredKernel lowered, ImmutableArray<Sw26010LayoutStep> packs, Sw26010LayoutStep? unpack)
    {
        var holdings = CallerHoldings.For(lowered.Operator, target.Limits);
        var placements = lowered.Placements;
        var type = lowered.Kernel.ElementType;
        var compiled = packs.Concat(unpack is null ? [] : [unpack]).ToDictionary(s => s.Step with { Name = string.Empty });
        ImmutableArray<Sw26010LayoutStep> Compile(ImmutableArray<LayoutStep> steps) =>
            [.. steps.Select(s => compiled.GetValueOrDefault(s with { Name = string.Empty }) ?? Sw26010LayoutStep.Compile(target, s))];

        var routes = ImmutableArray.CreateBuilder<CallRoute>();
        foreach (var input in lowered.Inputs)
        {
            var holding = holdings.GetValueOrDefault(input.Name);
            routes.Add(new CallRoute(input, holding, Compile(LayoutConversion.Steps(input.Name, holding, placements[input.Name], type)), IsOutput: false));
        }

        var output = lowered.Output;
        var held = holdings.GetValueOrDefault(output.Name);
        routes.Add(new CallRoute(output, held, Compile(LayoutConversion.Steps(output.Name, placements[output.Name], held, type)), IsOutput: true));
        return routes.ToImmutable();
    }
}
