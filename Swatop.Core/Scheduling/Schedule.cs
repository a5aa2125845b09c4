using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Swatop.Core.Scheduling;

/// <summary>
/// A point of an operator's schedule space: the decisions that turn the operator into one loop
/// nest over the mesh GEMM. A schedule is a value: equal decisions are equal schedules; it prints
/// as the C# that rebuilds it (<see cref="ToCSharp"/>) and round-trips through JSON.
/// </summary>
/// <remarks>
/// <para>Loop names. The index loops (outer, in <see cref="IndexOrder"/>) are named by axis: an index
/// axis that is neither M nor N is its own loop; the M and N axes name their tile loops; the window
/// axis names its band loop. The reduction loops (inner, in <see cref="ReductionOrder"/>) likewise: the K
/// axis names its tile loop; with a window, the window's tap axis names the pair of loops
/// "input column of the band, then tap". <see cref="LevelA"/> and <see cref="LevelB"/> name a
/// reduction loop by its variable: the axis name, <c>{K}_t</c> for the K tile loop and
/// <c>{window}_in</c> for the band's input column loop.</para>
/// <para>The output tile stays in LDM across all the reduction loops and is put back after them.</para>
/// </remarks>
public sealed record Schedule
{
    /// <summary>Which axes the mesh GEMM's M, N and K walk.</summary>
    public required GemmMapping Mapping { get; init; }

    /// <summary>Whole-mesh M of one GEMM tile: a positive multiple of 128.</summary>
    public required int TileM { get; init; }

    /// <summary>Whole-mesh N of one GEMM tile: a positive multiple of 32.</summary>
    public required int TileN { get; init; }

    /// <summary>Whole-mesh K of one GEMM tile: a positive multiple of 8.</summary>
    public required int TileK { get; init; }

    /// <summary>The index loops, outermost first: every index axis but M and N, plus M's and N's tile loops.</summary>
    public required ImmutableArray<string> IndexOrder { get; init; }

    /// <summary>The reduction loops, outermost first: every reduction axis but K, plus K's tile loop.</summary>
    public required ImmutableArray<string> ReductionOrder { get; init; }

    /// <summary>
    /// The output axis of a sliding window (a convolution's <c>ow</c>) whose <see cref="Window"/>
    /// consecutive output tiles stay in LDM while the loop walks input columns, so that each input
    /// column is fetched once for every tap that uses it (swDNN's CoStride). <see langword="null"/> for none.
    /// </summary>
    public string? WindowAxis { get; init; }

    /// <summary>Output tiles kept in LDM along <see cref="WindowAxis"/>; 1 without a window.</summary>
    /// <remarks>Required in JSON: the generated reader would give a missing value 0, not this default.</remarks>
    [JsonRequired]
    public int Window { get; init; } = 1;

    /// <summary>The reduction loop whose body starts with the A operand's DMA; <see langword="null"/> before all of them.</summary>
    public string? LevelA { get; init; }

    /// <summary>The reduction loop whose body starts with the B operand's DMA; <see langword="null"/> before all of them.</summary>
    public string? LevelB { get; init; }

    /// <summary>Whether the A operand is double-buffered: the next tile's DMA overlaps this tile's GEMMs.</summary>
    public bool DoubleBufferA { get; init; }

    /// <summary>Whether the B operand is double-buffered.</summary>
    public bool DoubleBufferB { get; init; }

    /// <summary>
    /// Whether the output tiles are double-buffered: their put is waited for only before the next put,
    /// so it overlaps the next output tile's transfers and GEMMs instead of stalling the CPE.
    /// </summary>
    public bool DoubleBufferC { get; init; }

    /// <summary>
    /// Whether the host packs the operands in blocked layouts: each CPE's block of a GEMM tile one
    /// contiguous run in main memory, so that each of its transfers is one block instead of a block per
    /// column. It applies to each operand (A, B and the output) whose two GEMM axes each index one
    /// dimension of it directly (a plain axis, such as a convolution's batch or channels, not a sliding
    /// window's position); those dimensions are padded to whole tiles with zeros, and the GEMM then
    /// runs border tiles of those axes at full size.
    /// </summary>
    public bool BlockedLayouts { get; init; }

    /// <summary>Core groups that share the work, 1 to the target's count.</summary>
    /// <remarks>Required in JSON, like <see cref="Window"/>.</remarks>
    [JsonRequired]
    public int CoreGroups { get; init; } = 1;

    /// <summary>The index loop whose iterations the core groups split in equal contiguous parts; <see langword="null"/> with one core group.</summary>
    public string? SplitAxis { get; init; }

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(Schedule? other) => other is not null && ToCSharp() == other.ToCSharp();

    /// <summary>A hash of the decisions.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToCSharp());

    /// <summary>The schedule in one line, for logs and tables.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Mapping} tile {TileM}x{TileN}x{TileK} index [{string.Join(' ', IndexOrder)}] reduce [{string.Join(' ', ReductionOrder)}]");
        if (WindowAxis is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" window {WindowAxis}x{Window}");
        }

        text.Append(CultureInfo.InvariantCulture, $" A@{LevelA ?? "top"}{(DoubleBufferA ? "+db" : "")} B@{LevelB ?? "top"}{(DoubleBufferB ? "+db" : "")}{(DoubleBufferC ? " C+db" : "")}");
        text.Append(CultureInfo.InvariantCulture, $" cg {CoreGroups}{(SplitAxis is null ? "" : $" on {SplitAxis}")}");
        if (BlockedLayouts)
        {
            text.Append(" blocked");
        }

        return text.ToString();
    }

    /// <summary>The C# object initializer that rebuilds this schedule.</summary>
    public string ToCSharp()
    {
        static string Quote(string? value) => value is null ? "null" : $"\"{value}\"";
        static string List(ImmutableArray<string> values) => $"[{string.Join(", ", values.Select(v => Quote(v)))}]";
        var text = new StringBuilder();
        text.AppendLine("new Schedule");
        text.AppendLine("{");
        text.AppendLine(CultureInfo.InvariantCulture, $"    Mapping = new GemmMapping({Quote(Mapping.M)}, {Quote(Mapping.N)}, {Quote(Mapping.K)}),");
        text.AppendLine(CultureInfo.InvariantCulture, $"    TileM = {TileM}, TileN = {TileN}, TileK = {TileK},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    IndexOrder = {List(IndexOrder)},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    ReductionOrder = {List(ReductionOrder)},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    WindowAxis = {Quote(WindowAxis)}, Window = {Window},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    LevelA = {Quote(LevelA)}, LevelB = {Quote(LevelB)},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    DoubleBufferA = {(DoubleBufferA ? "true" : "false")}, DoubleBufferB = {(DoubleBufferB ? "true" : "false")}, DoubleBufferC = {(DoubleBufferC ? "true" : "false")},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    BlockedLayouts = {(BlockedLayouts ? "true" : "false")},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    CoreGroups = {CoreGroups}, SplitAxis = {Quote(SplitAxis)},");
        text.Append('}');
        return text.ToString();
    }

    /// <summary>The schedule as one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ScheduleJsonContext.Default.Schedule);

    /// <summary>Reads a schedule written by <see cref="ToJson"/>.</summary>
    /// <exception cref="ScheduleException">The text is not a schedule; the message says what is wrong.</exception>
    public static Schedule FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Schedule? schedule;
        try
        {
            schedule = JsonSerializer.Deserialize(json, ScheduleJsonContext.Default.Schedule);
        }
        catch (JsonException error)
        {
            throw new ScheduleException(ScheduleDiagnostics.MalformedJson, "json", $"The JSON text is not a schedule: {error.Message}");
        }

        if (schedule is null)
        {
            throw new ScheduleException(ScheduleDiagnostics.MalformedJson, "json", "The JSON text is null, not a schedule.");
        }

        foreach (var (name, order) in new[] { ("indexOrder", schedule.IndexOrder), ("reductionOrder", schedule.ReductionOrder) })
        {
            if (order.Contains(null!))
            {
                throw new ScheduleException(ScheduleDiagnostics.MalformedJson, "json",
                    $"The JSON text is not a schedule: {name} = [{string.Join(", ", order.Select(u => u ?? "null"))}] holds a null where a loop name belongs.");
            }
        }

        return schedule;
    }
}
