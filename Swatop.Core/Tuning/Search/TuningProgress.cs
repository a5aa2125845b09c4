namespace Swatop.Core.Tuning;

/// <summary>How far a search has come.</summary>
/// <param name="Measured">Candidates measured so far.</param>
/// <param name="Budget">The most it will measure.</param>
/// <param name="BestSeconds">The fastest time measured so far.</param>
public sealed record TuningProgress(int Measured, int Budget, double BestSeconds);
