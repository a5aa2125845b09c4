using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Algorithms.WinogradMesh;

namespace Swatop.Core.Scheduling;

/// <summary>
/// A point of an operator's schedule space: the algorithm that computes the operator and its
/// decisions. Each algorithm has its own kind of schedule (<see cref="ImplicitGemmSchedule"/>, ...),
/// named by <see cref="Algorithm"/>, which JSON writes as its <c>algorithm</c> discriminator. A schedule
/// is a value: equal decisions are equal schedules; it prints as the C# that rebuilds it
/// (<see cref="ToCSharp"/>) and round-trips through JSON.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = DiscriminatorName)]
[JsonDerivedType(typeof(ImplicitGemmSchedule), ImplicitGemmSchedule.AlgorithmName)]
[JsonDerivedType(typeof(DirectSchedule), DirectSchedule.AlgorithmName)]
[JsonDerivedType(typeof(WinogradSchedule), WinogradSchedule.AlgorithmName)]
[JsonDerivedType(typeof(Im2colSchedule), Im2colSchedule.AlgorithmName)]
[JsonDerivedType(typeof(WinogradMeshSchedule), WinogradMeshSchedule.AlgorithmName)]
[JsonDerivedType(typeof(Im2colLdmSchedule), Im2colLdmSchedule.Discriminator)]
[JsonDerivedType(typeof(WinogradGemmSchedule), WinogradGemmSchedule.AlgorithmName)]
public abstract record Schedule
{
    /// <summary>The JSON property that names the algorithm.</summary>
    public const string DiscriminatorName = "algorithm";

    /// <summary>Only the algorithms of this library define schedules.</summary>
    private protected Schedule()
    {
    }

    /// <summary>The algorithm's name, such as <c>implicit-gemm</c>: the schedule's JSON discriminator.</summary>
    [JsonIgnore]
    public abstract string Algorithm { get; }

    /// <summary>Core groups that share the work, 1 to the target's count.</summary>
    /// <remarks>Required in JSON: the generated reader would give a missing value 0, not this default.</remarks>
    [JsonRequired]
    [JsonPropertyOrder(100)]
    public int CoreGroups { get; init; } = 1;

    /// <summary>The index loop whose iterations the core groups split in equal contiguous parts; <see langword="null"/> with one core group.</summary>
    [JsonPropertyOrder(101)]
    public string? SplitAxis { get; init; }

    /// <summary>Equal when the algorithm and every decision are equal.</summary>
    public virtual bool Equals(Schedule? other) => other is not null && Algorithm == other.Algorithm && ToCSharp() == other.ToCSharp();

    /// <summary>A hash of the decisions.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToCSharp());

    /// <summary>The schedule in one line, for logs and tables.</summary>
    public abstract override string ToString();

    /// <summary>The C# object initializer that rebuilds this schedule.</summary>
    public abstract string ToCSharp();

    /// <summary>The schedule as one line of JSON, its algorithm first.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ScheduleJsonContext.Default.Schedule);

    /// <summary>
    /// Reads a schedule written by <see cref="ToJson"/>. A schedule written before schedules named their
    /// algorithm (no <c>algorithm</c> property) reads as an implicit GEMM schedule, its decisions brought
    /// to the current form (<see cref="ImplicitGemmSchedule.Upgrade"/>).
    /// </summary>
    /// <exception cref="ScheduleException">The text is not a schedule; the message says what is wrong.</exception>
    public static Schedule FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Schedule? schedule;
        try
        {
            var node = JsonNode.Parse(json);
            if (node is JsonObject root)
            {
                if (!root.ContainsKey(DiscriminatorName))
                {
                    ImplicitGemmSchedule.Upgrade(root);
                }
                else if (root[DiscriminatorName] is not JsonValue name || !name.TryGetValue<string>(out var algorithm)
                    || (!ScheduleAlgorithms.Names.Contains(algorithm) && algorithm != Im2colLdmSchedule.Discriminator))
                {
                    throw Malformed($"The JSON text is not a schedule: {DiscriminatorName} = {root[DiscriminatorName]?.ToJsonString() ?? "null"} names no algorithm; the algorithms are {string.Join(", ", ScheduleAlgorithms.Names)}.");
                }
            }

            schedule = node?.Deserialize(ScheduleJsonContext.Default.Schedule);
        }
        catch (JsonException error)
        {
            throw Malformed($"The JSON text is not a schedule: {error.Message}");
        }

        return schedule?.Checked() ?? throw Malformed("The JSON text is null, not a schedule.");
    }

    /// <summary>This schedule read from JSON, checked for what the reader lets through (nulls in lists).</summary>
    /// <exception cref="ScheduleException">A list holds a null.</exception>
    private protected abstract Schedule Checked();

    /// <summary><paramref name="schedule"/>'s <see cref="Checked"/>, for a schedule that holds another.</summary>
    private protected static Schedule CheckedOf(Schedule schedule) => schedule.Checked();

    /// <summary>An error of a JSON text that is not a schedule.</summary>
    private protected static ScheduleException Malformed(string message) => new(ScheduleDiagnostics.MalformedJson, "json", message);
}
