using System.Globalization;
using System.Reflection;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;

namespace Swatop.Core.Tuning;

/// <summary>
/// One result of tuning: the schedule chosen for an operator on a target, with its measured and
/// modelled times, the library that measured it and when. Keyed by <see cref="OperatorSignature"/>
/// and <see cref="TargetSignature"/>; stored as one JSON line of a <see cref="TuningDatabase"/>.
/// Immutable and compared by value; checked when created.
/// </summary>
public sealed record TuningRecord
{
    /// <summary>The format version this library writes, and the newest it reads.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>Creates a record of <see cref="CurrentFormatVersion"/>.</summary>
    /// <param name="operatorSignature">The operator's <see cref="OperatorSpec.Signature"/>.</param>
    /// <param name="targetSignature">The target's <see cref="ITarget.Signature"/>.</param>
    /// <param name="schedule">The schedule tuned.</param>
    /// <param name="measuredSeconds">The time measured on the target: finite and positive.</param>
    /// <param name="modelledSeconds">The time the analytic cost model predicted: finite and not negative; null when no model ranked the candidates (a black-box search).</param>
    /// <param name="date">When it was measured; kept in UTC.</param>
    /// <param name="libraryVersion">The Swatop version that measured it; <see cref="CurrentLibraryVersion"/> by default.</param>
    /// <exception cref="ArgumentException">A value breaks its rule (<see cref="TuningDiagnostics.InvalidRecord"/>); the message names it, its value and the rule.</exception>
    public TuningRecord(
        string operatorSignature,
        string targetSignature,
        Schedule schedule,
        double measuredSeconds,
        double? modelledSeconds,
        DateTimeOffset date,
        string? libraryVersion = null)
        : this(CurrentFormatVersion, operatorSignature, targetSignature, libraryVersion ?? CurrentLibraryVersion, schedule, measuredSeconds, modelledSeconds, date)
    {
    }

    /// <summary>Creates a record of any format version; the reader's way in.</summary>
    internal TuningRecord(
        int formatVersion,
        string operatorSignature,
        string targetSignature,
        string libraryVersion,
        Schedule schedule,
        double measuredSeconds,
        double? modelledSeconds,
        DateTimeOffset date)
    {
        FormatVersion = formatVersion is >= 1 and <= CurrentFormatVersion ? formatVersion
            : throw Invalid(nameof(formatVersion), formatVersion.ToString(CultureInfo.InvariantCulture), $"must be between 1 and {CurrentFormatVersion}");
        OperatorSignature = NotBlank(operatorSignature, nameof(operatorSignature));
        TargetSignature = NotBlank(targetSignature, nameof(targetSignature));
        LibraryVersion = NotBlank(libraryVersion, nameof(libraryVersion));
        Schedule = schedule ?? throw Invalid(nameof(schedule), "null", "must be set");
        MeasuredSeconds = double.IsFinite(measuredSeconds) && measuredSeconds > 0 ? measuredSeconds
            : throw Invalid(nameof(measuredSeconds), Format(measuredSeconds), "must be finite and positive");
        ModelledSeconds = modelledSeconds is not { } modelled || (double.IsFinite(modelled) && modelled >= 0) ? modelledSeconds
            : throw Invalid(nameof(modelledSeconds), Format(modelled), "must be finite and not negative, or null when no model predicted it");
        Date = date.ToUniversalTime();
    }

    /// <summary>The informational version of this Swatop.Core assembly, such as <c>0.1.0+1a2b3c4</c>: what new records carry.</summary>
    public static string CurrentLibraryVersion { get; } =
        typeof(TuningRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(TuningRecord).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The format version of the record, 1 to <see cref="CurrentFormatVersion"/>.</summary>
    public int FormatVersion { get; }

    /// <summary>The canonical text of the operator (<see cref="OperatorSpec.Signature"/>).</summary>
    public string OperatorSignature { get; }

    /// <summary>The stable text of the target (<see cref="ITarget.Signature"/>).</summary>
    public string TargetSignature { get; }

    /// <summary>The Swatop version that measured the schedule.</summary>
    public string LibraryVersion { get; }

    /// <summary>The schedule tuned.</summary>
    public Schedule Schedule { get; }

    /// <summary>The time measured on the target, in seconds.</summary>
    public double MeasuredSeconds { get; }

    /// <summary>The time the analytic cost model predicted, in seconds; null when no model ranked the candidates.</summary>
    public double? ModelledSeconds { get; }

    /// <summary>When the schedule was measured, in UTC.</summary>
    public DateTimeOffset Date { get; }

    /// <summary>A record for an operator on a target, keyed by their signatures, carrying this library's version.</summary>
    /// <param name="spec">The operator.</param>
    /// <param name="target">The target.</param>
    /// <param name="schedule">The schedule tuned.</param>
    /// <param name="measuredSeconds">The time measured on the target.</param>
    /// <param name="modelledSeconds">The time the cost model predicted, or null.</param>
    /// <param name="date">When it was measured.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentException">A value breaks its rule (<see cref="TuningDiagnostics.InvalidRecord"/>).</exception>
    public static TuningRecord For(OperatorSpec spec, ITarget target, Schedule schedule, double measuredSeconds, double? modelledSeconds, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        return new TuningRecord(spec.Signature, target.Signature, schedule, measuredSeconds, modelledSeconds, date);
    }

    /// <summary>
    /// The record in one line, for the log line that says which record was applied:
    /// <c>operator on target: schedule; measured 1.234 ms, modelled 1.1 ms; Swatop 0.1.0, 2025-01-02T03:04:05Z</c>.
    /// </summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{OperatorSignature} on {TargetSignature}: {Schedule}; measured {MeasuredSeconds * 1e3:G6} ms, {(ModelledSeconds is { } m ? $"modelled {m * 1e3:G6} ms" : "no model")}; "
        + $"Swatop {LibraryVersion}, {Date.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");

    private static string NotBlank(string? value, string name) =>
        !string.IsNullOrWhiteSpace(value) ? value
            : throw Invalid(name, value is null ? "null" : $"'{value}'", "must not be empty");

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static ArgumentException Invalid(string name, string value, string rule) =>
        new($"{TuningDiagnostics.InvalidRecord}: {name} = {value} is not valid: it {rule}.", name);
}
