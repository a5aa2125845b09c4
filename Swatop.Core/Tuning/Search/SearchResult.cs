namespace Swatop.Core.Tuning;

/// <summary>The outcome of a search.</summary>
/// <param name="Best">The fastest candidate measured.</param>
/// <param name="Ranked">How many candidates a model estimated without measuring them (not those of the families its lower bound ruled out).</param>
/// <param name="Measured">How many candidates were measured.</param>
/// <param name="Predicted">What a cost model predicted for <paramref name="Best"/>; null when none ranked it.</param>
public sealed record SearchResult(Measurement Best, long Ranked, int Measured, double? Predicted = null);
