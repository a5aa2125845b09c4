using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// What an operator does to each output tile in LDM after its last multiply-add and before the tile is
/// put back: element-wise steps applied in order (a bias, an activation, a residual add), so that a
/// network needs no separate pass over memory for them. Every operator carries one; the builders give
/// the empty epilogue, <see cref="None"/>, and lowering applies its steps through the loop IR's
/// element-wise node. Compared by value.
/// </summary>
public sealed record Epilogue
{
    private Epilogue(ImmutableArray<EpilogueStep> steps) => Steps = steps;

    /// <summary>The empty epilogue: the output tile is put as the contraction left it.</summary>
    public static Epilogue None { get; } = new([]);

    /// <summary>
    /// The epilogue of <paramref name="steps"/>, applied in order, such as ResNet's
    /// <c>Epilogue.Of(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu())</c>; no step is the empty epilogue.
    /// </summary>
    /// <param name="steps">The steps: at most one bias, at most one residual add, and no two clips in a row.</param>
    /// <returns>The epilogue.</returns>
    /// <exception cref="OperatorDescriptionException"><see cref="DescribeDiagnostics.RepeatedEpilogueStep"/>: a step is repeated where that makes no sense.</exception>
    public static Epilogue Of(params EpilogueStep[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        for (var i = 0; i < steps.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(steps[i], $"{nameof(steps)}[{i}]");
            var earlier = steps.Take(i).Select((step, j) => (step, j)).FirstOrDefault(p => p.step.TensorName is { } name && name == steps[i].TensorName);
            if (earlier.step is not null)
            {
                DescribeGuard.Fail(DescribeDiagnostics.RepeatedEpilogueStep, $"{nameof(steps)}[{i}]",
                    $"{nameof(steps)}[{i}] = {steps[i]} repeats {nameof(steps)}[{earlier.j}]: an epilogue reads one '{steps[i].TensorName}' tensor; add the tensors beforehand or use one step.");
            }

            if (i > 0 && steps[i] is ClipStep && steps[i - 1] is ClipStep)
            {
                DescribeGuard.Fail(DescribeDiagnostics.RepeatedEpilogueStep, $"{nameof(steps)}[{i}]",
                    $"{nameof(steps)}[{i}] = {steps[i]} follows the clip {steps[i - 1]}: two clips in a row are one clip to the intersection of their bounds; use that one.");
            }
        }

        return steps.Length == 0 ? None : new([.. steps]);
    }

    /// <summary>The steps, applied in order.</summary>
    public ImmutableArray<EpilogueStep> Steps { get; }

    /// <summary>Whether there is no step.</summary>
    public bool IsEmpty => Steps.IsEmpty;

    /// <summary>Equal when the steps are equal, in order.</summary>
    public bool Equals(Epilogue? other) => other is not null && Steps.SequenceEqual(other.Steps);

    /// <inheritdoc/>
    public override int GetHashCode() => Steps.Aggregate(0, (hash, step) => HashCode.Combine(hash, step));

    /// <summary>The steps as text, <c>none</c> when empty: part of the operator's signature when not empty.</summary>
    public override string ToString() => IsEmpty ? "none" : string.Join(" ", Steps);
}
