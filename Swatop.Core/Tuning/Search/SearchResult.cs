namespace Swatop.Core.Tuning;

/// <summary>The outcome of a search.</summary>
/// <param name="Best">The fastest candidate measured.</param>
/// <param name="Ranked">How many candidates were ranked without being measured (by a model).</param>
/// <param name="Measured">How many candidates were measured.</param>
public sealed record SearchResult(Measurement Best, long Ranked, int Measured);
