using System.Collections.Immutable;

namespace Swatop.Core.Tuning;

/// <summary>
/// What one read of a tuning database found: the records, in the order of the file, and the lines
/// that were skipped with the reason for each.
/// </summary>
public sealed class TuningDatabaseContents
{
    internal TuningDatabaseContents(string path, ImmutableArray<TuningRecord> records, ImmutableArray<SkippedLine> skippedLines)
    {
        Path = path;
        Records = records;
        SkippedLines = skippedLines;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The records read, in the order of the file (the order they were appended).</summary>
    public ImmutableArray<TuningRecord> Records { get; }

    /// <summary>The lines that are not records, with the reason for each; they stay in the file.</summary>
    public ImmutableArray<SkippedLine> SkippedLines { get; }

    /// <summary>The records of an operator on a target, in the order of the file.</summary>
    /// <param name="operatorSignature">The operator's <see cref="OperatorSpec.Signature"/>.</param>
    /// <param name="targetSignature">The target's <see cref="Targets.ITarget.Signature"/>.</param>
    /// <returns>The records whose keys are equal to both, compared ordinally.</returns>
    public IEnumerable<TuningRecord> RecordsFor(string operatorSignature, string targetSignature)
    {
        ArgumentNullException.ThrowIfNull(operatorSignature);
        ArgumentNullException.ThrowIfNull(targetSignature);
        return Records.Where(r =>
            string.Equals(r.OperatorSignature, operatorSignature, StringComparison.Ordinal)
            && string.Equals(r.TargetSignature, targetSignature, StringComparison.Ordinal));
    }

    /// <summary>
    /// The best record of an operator on a target: the lowest measured time; among equal times the
    /// latest date; among equal dates the one appended last.
    /// </summary>
    /// <param name="operatorSignature">The operator's <see cref="OperatorSpec.Signature"/>.</param>
    /// <param name="targetSignature">The target's <see cref="Targets.ITarget.Signature"/>.</param>
    /// <returns>The record, or <see langword="null"/> when there is none for that key.</returns>
    public TuningRecord? Best(string operatorSignature, string targetSignature)
    {
        TuningRecord? best = null;
        foreach (var record in RecordsFor(operatorSignature, targetSignature))
        {
            if (best is null
                || record.MeasuredSeconds < best.MeasuredSeconds
                || (record.MeasuredSeconds == best.MeasuredSeconds && record.Date >= best.Date))
            {
                best = record;
            }
        }

        return best;
    }
}
