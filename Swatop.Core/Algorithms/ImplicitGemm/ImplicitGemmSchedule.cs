using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// A schedule of the implicit GEMM algorithm: the decisions that turn the operator into one loop nest
/// over the mesh GEMM, its operands read in place through their accesses.
/// </summary>
/// <remarks>
/// <para>Loop names. The index loops (outer, in <see cref="IndexOrder"/>) are named by axis: an index
/// axis that is neither M nor N is its own loop; the M and N axes name their tile loops; the window
/// axis names its band loop. The reduction loops (inner, in <see cref="ReductionOrder"/>) likewise: the K
/// axis names its tile loop; with a window, the window's tap axis names the pair of loops
/// "input column of the band, then tap". An operand's <see cref="OperandSchedule.Level"/> names a
/// reduction loop by its variable: the axis name, <c>{K}_t</c> for the K tile loop and
/// <c>{window}_in</c> for the band's input column loop.</para>
/// <para>The output tile stays in LDM across all the reduction loops and is put back after them.</para>
/// </remarks>
public sealed record ImplicitGemmSchedule : Schedule
{
    /// <summary>The algorithm's name, its schedules' JSON discriminator.</summary>
    public const string AlgorithmName = "implicit-gemm";

    /// <summary>The operands of an implicit GEMM, in the order schedules list them.</summary>
    public static ImmutableArray<OperandRole> Roles { get; } = [OperandRole.A, OperandRole.B, OperandRole.Output];

    /// <summary>Every operand's decisions before any is made, in role order: single-buffered, the inputs' transfers before the reduction loops.</summary>
    public static ImmutableArray<OperandSchedule> DefaultOperands { get; } = [.. Roles.Select(role => new OperandSchedule(role))];

    private readonly ImmutableArray<OperandSchedule> _operands = DefaultOperands;

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Algorithm => AlgorithmName;

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

    /// <summary>
    /// The decisions for each operand, one per role of <see cref="Roles"/>, kept in that order: the A and B
    /// inputs' DMA levels (a reduction loop, or <see langword="null"/> before all of them) and whether
    /// each buffer is doubled (an input's next tile's DMA overlaps this tile's GEMMs; the output tiles'
    /// put overlaps the next output tile's transfers and GEMMs). Every role has decisions: a role left out
    /// keeps its defaults, single-buffered before the reduction loops.
    /// </summary>
    [JsonRequired]
    public ImmutableArray<OperandSchedule> Operands
    {
        get => _operands;
        init => _operands = value.IsDefault || InRoleOrder(value) ? value : [.. value.OrderBy(o => o is null ? int.MaxValue : Roles.IndexOf(o.Role))];
    }

    /// <summary>
    /// Whether the layout steps pack the operands in blocked layouts: each CPE's block of a GEMM tile one
    /// contiguous run in main memory, so that each of its transfers is one block instead of a block per
    /// column. It applies to each operand (A, B and the output) whose two GEMM axes each index one
    /// dimension of it directly (a plain axis, such as a convolution's batch or channels, or a 1 x 1
    /// convolution's rows and columns, whose taps of one position add nothing; not a sliding window's
    /// position); those dimensions are padded to whole tiles with zeros, and the GEMM then runs border
    /// tiles of those axes at full size.
    /// </summary>
    public bool BlockedLayouts { get; init; }

    /// <summary>
    /// Two index axes seen as one before the mapping, the outer then the inner (<c>["oh", "ow"]</c>), or none.
    /// Every tensor that reads them must hold them as adjacent dimensions of exactly their extents, so that
    /// the pair is one dimension of the same bytes: a 1 x 1, stride-1 convolution without padding, whose
    /// image positions then make one axis that M can walk in tiles as long as the image, in the framework's
    /// NCHW or NHWC. The rest of the schedule names the merged axis <c>oh_ow</c> in place of the pair, and a
    /// 1 x 1 kernel's taps (reduction axes of one position) are gone from its orders. A merged axis is never
    /// blocked, and the core groups split it in whole rows of the inner axis. A pair the tensors do not hold adjacent may
    /// fold instead (<c>["ow", "n"]</c>: the batch, in one block of <c>batch / core groups</c> images a group, kept innermost
    /// within the output's last dimension, the layout <c>[n / F, ..., w, n % F]</c>): the schedule then names the blocks
    /// <c>n</c> and the folded axis <c>ow_n</c>, which M walks, so that a block of 32 images and 4 columns fills a tile of 128.
    /// </summary>
    /// <remarks>JSON written before merges existed has none, and reads as none.</remarks>
    public ImmutableArray<string> MergedAxes { get => field.IsDefault ? [] : field; init; }

    /// <summary>
    /// Zeros kept around the output (<see cref="ImplicitGemm.OutputMargins"/>), so that it lies padded where a
    /// consumer reads it so; <see langword="null"/> for none, the output's own range.
    /// </summary>
    /// <remarks>Left out of the JSON when null, so schedules without margins read and write as before.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OutputMargins? OutputMargins { get; init; }

    /// <summary>
    /// Positions one input's layout holds beyond the range the kernel reads (<see cref="ImplicitGemm.InputMargins"/>), so
    /// that it reads the input where a producer left it wider; <see langword="null"/> for none, the range it reads.
    /// </summary>
    /// <remarks>Left out of the JSON when null, so schedules without them read and write as before.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InputMargins? InputMargins { get; init; }

    /// <summary>
    /// Whether the kernel keeps each operand it would read or write in place (its layout the framework's own, as under image
    /// rows or a merge of the positions) row-major in each core group's own memory instead
    /// (<see cref="Lowering.TensorLayout.RowMajorInCoreGroups"/>): the same offsets, so the same transfers, each byte at a
    /// group's own cost rather than through the shared memory. An operand the kernel keeps in a layout of its own (packed,
    /// padded, blocked, or widened by margins) stays as it is. A schedule with nothing in place has nothing to keep so, and
    /// is refused (<see cref="ScheduleDiagnostics.IllegalGroupMemory"/>). The space offers it only where the caller keeps
    /// its activations in the core groups' memories (<see cref="CallerMemory.CoreGroups"/>).
    /// </summary>
    /// <remarks>Left out of the JSON when false, so schedules without it read and write as before.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool GroupMemory { get; init; }

    /// <summary>The decisions for the operand of <paramref name="role"/>.</summary>
    /// <exception cref="KeyNotFoundException">The schedule lists no decisions for it.</exception>
    public OperandSchedule Operand(OperandRole role)
    {
        if (_operands.IsDefault)
        {
            return new OperandSchedule(role);
        }

        foreach (var operand in _operands)
        {
            if (operand?.Role == role)
            {
                return operand;
            }
        }

        throw new KeyNotFoundException($"The schedule lists no decisions for operand {role}; it lists {string.Join(", ", _operands)}.");
    }

    /// <summary>This schedule with <paramref name="operand"/>'s decisions in place of those for its role.</summary>
    public ImplicitGemmSchedule WithOperand(OperandSchedule operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        return WithOperands(o => o.Role == operand.Role ? operand : o);
    }

    /// <summary>This schedule with the operand of <paramref name="role"/>'s DMA group at <paramref name="level"/>.</summary>
    public ImplicitGemmSchedule WithLevel(OperandRole role, string? level) => WithOperand(Operand(role) with { Level = level });

    /// <summary>This schedule with the operand of <paramref name="role"/> double-buffered or not.</summary>
    public ImplicitGemmSchedule WithDoubleBuffer(OperandRole role, bool doubleBuffer) => WithOperand(Operand(role) with { DoubleBuffer = doubleBuffer });

    /// <summary>This schedule with each operand's decisions mapped by <paramref name="map"/>.</summary>
    public ImplicitGemmSchedule WithOperands(Func<OperandSchedule, OperandSchedule> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var operands = ImmutableArray.CreateBuilder<OperandSchedule>(Roles.Length);
        foreach (var role in Roles)
        {
            operands.Add(map(Operand(role)));
        }

        return this with { Operands = operands.MoveToImmutable() };
    }

    /// <summary>Whether <paramref name="operands"/> are in the order of <see cref="Roles"/> (each role at most once, no null).</summary>
    private static bool InRoleOrder(ImmutableArray<OperandSchedule> operands)
    {
        var previous = -1;
        foreach (var operand in operands)
        {
            var rank = operand is null ? -1 : Roles.IndexOf(operand.Role);
            if (rank <= previous)
            {
                return false;
            }

            previous = rank;
        }

        return true;
    }

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(ImplicitGemmSchedule? other) => base.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Mapping} tile {TileM}x{TileN}x{TileK} index [{string.Join(' ', IndexOrder)}] reduce [{string.Join(' ', ReductionOrder)}]");
        if (WindowAxis is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" window {WindowAxis}x{Window}");
        }

        foreach (var operand in (_operands.IsDefault ? [] : _operands).Where(o => o.Role != OperandRole.Output || o.DoubleBuffer))
        {
            text.Append(' ').Append(operand);
        }

        text.Append(CultureInfo.InvariantCulture, $" cg {CoreGroups}{(SplitAxis is null ? "" : $" on {SplitAxis}")}");
        if (BlockedLayouts)
        {
            text.Append(" blocked");
        }

        if (!MergedAxes.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $" merged [{string.Join(' ', MergedAxes)}]");
        }

        if (OutputMargins is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" margins {OutputMargins}");
        }

        if (InputMargins is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" reads {InputMargins}");
        }

        if (GroupMemory)
        {
            text.Append(" group memory");
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToCSharp()
    {
        static string Quote(string? value) => value is null ? "null" : $"\"{value}\"";
        static string Bool(bool value) => value ? "true" : "false";
        static string List(ImmutableArray<string> values) => $"[{string.Join(", ", values.Select(v => Quote(v)))}]";
        var text = new StringBuilder();
        text.AppendLine("new ImplicitGemmSchedule");
        text.AppendLine("{");
        text.AppendLine(CultureInfo.InvariantCulture, $"    Mapping = new GemmMapping({Quote(Mapping.M)}, {Quote(Mapping.N)}, {Quote(Mapping.K)}),");
        text.AppendLine(CultureInfo.InvariantCulture, $"    TileM = {TileM}, TileN = {TileN}, TileK = {TileK},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    IndexOrder = {List(IndexOrder)},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    ReductionOrder = {List(ReductionOrder)},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    WindowAxis = {Quote(WindowAxis)}, Window = {Window},");
        text.AppendLine("    Operands =");
        text.AppendLine("    [");
        foreach (var operand in _operands.IsDefault ? [] : _operands)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"        new(OperandRole.{operand.Role}, {Quote(operand.Level)}, DoubleBuffer: {Bool(operand.DoubleBuffer)}),");
        }

        text.AppendLine("    ],");
        text.AppendLine(CultureInfo.InvariantCulture, $"    BlockedLayouts = {Bool(BlockedLayouts)},");
        text.AppendLine(CultureInfo.InvariantCulture, $"    MergedAxes = {List(MergedAxes)},");
        if (OutputMargins is { } margins)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    OutputMargins = new OutputMargins([{string.Join(", ", margins.Before)}], [{string.Join(", ", margins.After)}]),");
        }

        if (InputMargins is { } wider)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    InputMargins = new InputMargins({Quote(wider.Tensor)}, [{string.Join(", ", wider.Before)}], [{string.Join(", ", wider.After)}]),");
        }

        if (GroupMemory)
        {
            text.AppendLine("    GroupMemory = true,");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"    CoreGroups = {CoreGroups}, SplitAxis = {Quote(SplitAxis)},");
        text.Append('}');
        return text.ToString();
    }

    /// <summary>
    /// Brings the JSON of a schedule written before schedules named their algorithm to the current form,
    /// in place: it names this algorithm, and the per-letter decisions (<c>levelA</c>, <c>levelB</c>,
    /// <c>doubleBufferA</c>, <c>doubleBufferB</c>, <c>doubleBufferC</c>; those missing are null or false)
    /// become <see cref="Operands"/>.
    /// </summary>
    internal static void Upgrade(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.Insert(0, DiscriminatorName, AlgorithmName);
        if (json.ContainsKey("operands"))
        {
            return;
        }

        JsonNode? Take(string name)
        {
            var value = json[name];
            json.Remove(name);
            return value;
        }

        JsonObject Operand(string role, JsonNode? level, JsonNode? doubleBuffer) =>
            new() { ["role"] = role, ["level"] = level, ["doubleBuffer"] = doubleBuffer ?? false };

        var operands = new JsonArray(
            Operand("a", Take("levelA"), Take("doubleBufferA")),
            Operand("b", Take("levelB"), Take("doubleBufferB")),
            Operand("output", null, Take("doubleBufferC")));
        var window = json.IndexOf("window");
        json.Insert(window < 0 ? json.Count : window + 1, "operands", operands);
    }

    /// <inheritdoc/>
    private protected override Schedule Checked()
    {
        foreach (var (name, order) in new[] { ("indexOrder", IndexOrder), ("reductionOrder", ReductionOrder) })
        {
            if (order.Contains(null!))
            {
                throw Malformed($"The JSON text is not a schedule: {name} = [{string.Join(", ", order.Select(u => u ?? "null"))}] holds a null where a loop name belongs.");
            }
        }

        if (MergedAxes.Contains(null!))
        {
            throw Malformed($"The JSON text is not a schedule: mergedAxes = [{string.Join(", ", MergedAxes.Select(u => u ?? "null"))}] holds a null where an axis name belongs.");
        }

        if (Operands.Contains(null!))
        {
            throw Malformed("The JSON text is not a schedule: operands holds a null where an operand's decisions belong.");
        }

        return this;
    }
}
