using System.Globalization;

namespace Swatop.Core.Tuning;

/// <summary>
/// A line of the tuning database that was not read as a record, and why. The line stays in the file:
/// the database never rewrites what it holds.
/// </summary>
/// <param name="Path">The database file.</param>
/// <param name="LineNumber">The line, counted from 1.</param>
/// <param name="Id">Why, as a stable id: <see cref="TuningDiagnostics.TornLine"/>, <see cref="TuningDiagnostics.MalformedLine"/>,
/// <see cref="TuningDiagnostics.InvalidRecord"/> or <see cref="TuningDiagnostics.NewerFormatVersion"/>.</param>
/// <param name="Reason">What is wrong with the line, and what it means.</param>
public sealed record SkippedLine(string Path, int LineNumber, string Id, string Reason)
{
    /// <summary>The warning as logged: <c>path, line N: ID: reason</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Path}, line {LineNumber}: {Id}: {Reason}");
}
