using System.Text.Json;

namespace Swatop.Core.Tuning;

/// <summary>
/// The JSON shape of a <see cref="TuningRecord"/>, one line of the database. Kept apart from the
/// record so that the file format is stated in one place and can change with
/// <see cref="TuningRecord.CurrentFormatVersion"/> while the API stays. The schedule is kept as the
/// JSON of <see cref="Scheduling.Schedule.ToJson"/> and read back with <see cref="Scheduling.Schedule.FromJson"/>,
/// so it is written and checked exactly as a schedule is anywhere else.
/// </summary>
/// <remarks>
/// <para>Version 2, every field required, in the order written:
/// <c>{"formatVersion":2,"operatorSignature":"…","targetSignature":"…","libraryVersion":"…",
/// "date":"2025-01-02T03:04:05+00:00","measuredSeconds":0.00123,"modelledSeconds":0.0011,"schedule":{"algorithm":"implicit-gemm",…}}</c>.
/// Fields this version does not know are ignored, so a later version may add fields without a
/// new format version; it must raise the version when it removes or changes the meaning of one.</para>
/// <para>Migration. Version 1 wrote the same fields with a schedule that named no algorithm and spelled
/// its operands' decisions by letter (<c>levelA</c>, <c>doubleBufferA</c>, ...). A version-1 line reads
/// as the version-2 record it upgrades to: its schedule is an implicit GEMM schedule with the same
/// decisions as an operand list (<see cref="Scheduling.Schedule.FromJson"/>); it is written back in
/// version 2 whenever the database rewrites it.</para>
/// </remarks>
internal sealed class TuningRecordJson
{
    /// <summary>The record's format version; written first so a reader can check it before anything else.</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The operator's signature.</summary>
    public required string OperatorSignature { get; init; }

    /// <summary>The target's signature.</summary>
    public required string TargetSignature { get; init; }

    /// <summary>The library version that measured it.</summary>
    public required string LibraryVersion { get; init; }

    /// <summary>When it was measured, ISO 8601 in UTC.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>The measured time in seconds.</summary>
    public required double MeasuredSeconds { get; init; }

    /// <summary>The modelled time in seconds.</summary>
    public double? ModelledSeconds { get; init; }

    /// <summary>The schedule, as <see cref="Scheduling.Schedule.ToJson"/> writes it.</summary>
    public required JsonElement Schedule { get; init; }

    /// <summary>The JSON shape of a record.</summary>
    public static TuningRecordJson From(TuningRecord record)
    {
        using var schedule = JsonDocument.Parse(record.Schedule.ToJson());
        return new TuningRecordJson
        {
            FormatVersion = record.FormatVersion,
            OperatorSignature = record.OperatorSignature,
            TargetSignature = record.TargetSignature,
            LibraryVersion = record.LibraryVersion,
            Date = record.Date,
            MeasuredSeconds = record.MeasuredSeconds,
            ModelledSeconds = record.ModelledSeconds,
            Schedule = schedule.RootElement.Clone(),
        };
    }

    /// <summary>The record this JSON describes.</summary>
    /// <exception cref="ArgumentException">A value breaks its rule, or the schedule is not a schedule (a <see cref="Scheduling.ScheduleException"/>).</exception>
    public TuningRecord ToRecord() =>
        new(Upgraded(FormatVersion), OperatorSignature, TargetSignature, LibraryVersion, Scheduling.Schedule.FromJson(Schedule.GetRawText()), MeasuredSeconds, ModelledSeconds, Date);

    /// <summary>The version a record of <paramref name="version"/> reads as: 1 upgrades to 2; any other stays, to be checked.</summary>
    private static int Upgraded(int version) => version == 1 ? 2 : version;
}
