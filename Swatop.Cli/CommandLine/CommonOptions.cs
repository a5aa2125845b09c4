using System.CommandLine;
using Swatop.Core.Tuning;

namespace Swatop.Cli.CommandLine;

/// <summary>
/// The options more than one command takes, each declared once here and added to the commands that take
/// it, so that its name, default, help and rule are the same everywhere.
/// </summary>
internal sealed class CommonOptions
{
    /// <summary><c>--verbose</c>: the console logger at debug level; on every command.</summary>
    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Log at debug level on standard error: what tuning searched or recalled, the tuning database's reads and appends, and (emit) the IR after each optimization pass.",
        Recursive = true,
    };

    /// <summary><c>--shapes FILE.csv</c>: a shapes file, one operator a row.</summary>
    public Option<string> Shapes { get; } = new("--shapes")
    {
        Description = "A shapes file: CSV with the columns op, batch, in_channels, out_channels, in_height, in_width, kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups, m, n, k, dtype; other columns are passed through.",
        HelpName = "FILE.csv",
    };

    /// <summary><c>--seed N</c>: the seed of the operands and of the search, 1 by default.</summary>
    public Option<int> Seed { get; } = OptionValues.Integer("--seed", 1, "The seed of the operands drawn and of the search.");

    /// <summary><c>--database PATH</c>: the tuning database, the user's when absent.</summary>
    public Option<string> Database { get; } = new("--database")
    {
        Description = $"The tuning database (JSON lines) to read and append [default: {TuningDatabase.DefaultPath}].",
        HelpName = "PATH",
    };

    /// <summary><c>--schedule</c>: which schedule an operator runs with.</summary>
    public Option<string> Schedule { get; } = Schedules();

    /// <summary><c>--fresh</c>: search even when the database has a record.</summary>
    public Option<bool> Fresh { get; } = new("--fresh") { Description = "Search even when the database has a record, and record the result." };

    /// <summary><c>--measured K</c>: the candidates the model's ranking sends to the emulator.</summary>
    public Option<int> Measured { get; } = OptionValues.WholeNumber("--measured", ModelGuidedSearch.DefaultMeasured, 1, "candidates",
        "The candidates the cost model's ranking sends to the emulator.");

    /// <summary>
    /// <c>--algorithm auto|implicit|im2col|winograd|direct</c>: the algorithm a schedule is taken from; <c>auto</c>
    /// (every algorithm that applies) by default. The value is the library's name of the algorithm
    /// (<see cref="Core.Scheduling.ScheduleAlgorithms.Names"/>), or <c>auto</c>; read it with
    /// <see cref="AlgorithmIn"/>. The column <c>algorithm</c> prints the library's names, so each is accepted
    /// too (<c>implicit-gemm</c> as well as <c>implicit</c>, and <c>winograd-mesh</c>, the fused Winograd, which no short
    /// name reaches).
    /// </summary>
    public Option<string> Algorithm { get; } = new("--algorithm")
    {
        Description = "The algorithm to schedule with: auto (every algorithm that applies), implicit (implicit GEMM on the mesh), direct (per-CPE multiply-adds, for depthwise and small-group convolutions), winograd (F(2x2,3x3) and F(4x4,3x3), for 3 x 3 convolutions of stride 1), im2col (the column matrix laid out on the CPEs, then the mesh GEMM). The names the algorithm column prints are accepted too: implicit-gemm, winograd-mesh (the fused Winograd, its products as mesh GEMMs) and winograd-gemm (the composite Winograd, V and M through memory).",
        HelpName = "auto|implicit|im2col|winograd|direct",
        DefaultValueFactory = _ => Auto,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
            switch (text)
            {
                case Auto:
                    return Auto;
                case "implicit" or Core.Algorithms.ImplicitGemm.ImplicitGemmSchedule.AlgorithmName:
                    return Core.Algorithms.ImplicitGemm.ImplicitGemmSchedule.AlgorithmName;
                case "direct":
                    return Core.Algorithms.Direct.DirectSchedule.AlgorithmName;
                case "winograd":
                    return Core.Algorithms.Winograd.WinogradSchedule.AlgorithmName;
                case Core.Algorithms.WinogradMesh.WinogradMeshSchedule.AlgorithmName:
                    return Core.Algorithms.WinogradMesh.WinogradMeshSchedule.AlgorithmName;
                case Core.Algorithms.WinogradGemm.WinogradGemmSchedule.AlgorithmName:
                    return Core.Algorithms.WinogradGemm.WinogradGemmSchedule.AlgorithmName;
                case "im2col":
                    return Core.Algorithms.Im2col.Im2colSchedule.AlgorithmName;
                default:
                    result.AddError($"--algorithm '{text}' must be one of auto, implicit, im2col, winograd and direct.");
                    return Auto;
            }
        },
    };

    private const string Auto = "auto";

    /// <summary>
    /// <c>--caller-memory shared|core-groups</c>: where a single operator's caller keeps its activations, which the end-to-end
    /// time's layout steps start from and end in (<see cref="Core.Scheduling.CallerMemory"/>); <c>shared</c> by default. Read
    /// it with <see cref="CallerMemoryIn"/>.
    /// </summary>
    public Option<string> CallerMemory { get; } = new("--caller-memory")
    {
        Description = "Where the caller keeps each operator's activations, which the end-to-end time's layout steps start from and end in: shared (the framework's NCHW tensors in the shared memory) or core-groups (each core group's share of the batch, NCHW, in its own memory, as one MPI rank per core group keeps it; an operator with fewer images than core groups is called from the shared memory).",
        HelpName = "shared|core-groups",
        DefaultValueFactory = _ => SharedMemory,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
            if (text is not (SharedMemory or CoreGroupMemories))
            {
                result.AddError($"--caller-memory '{text}' must be {SharedMemory} or {CoreGroupMemories}.");
                return SharedMemory;
            }

            return text;
        },
    };

    private const string SharedMemory = "shared";

    private const string CoreGroupMemories = "core-groups";

    /// <summary>The caller's memory <c>--caller-memory</c> names.</summary>
    public Core.Scheduling.CallerMemory CallerMemoryIn(ParseResult result) =>
        result.GetValue(CallerMemory) == CoreGroupMemories ? Core.Scheduling.CallerMemory.CoreGroups : Core.Scheduling.CallerMemory.Shared;

    /// <summary>The library's name of the algorithm <c>--algorithm</c> forces, or null for <c>auto</c>.</summary>
    public string? AlgorithmIn(ParseResult result) => result.GetValue(Algorithm) is var name && name != Auto ? name : null;

    /// <summary>The operator's fields.</summary>
    public OperatorOptions Operator { get; } = new();

    private static Option<string> Schedules()
    {
        var option = new Option<string>("--schedule")
        {
            Description = "default (the space's), tuned (model-guided, through the tuning database), swdnn (swDNN's, for the convolutions it supports) or a JSON file written by Schedule.ToJson().",
            HelpName = "default|tuned|swdnn|FILE.json",
            DefaultValueFactory = _ => "default",
        };
        option.CompletionSources.Add("default", "tuned", "swdnn");
        return option;
    }
}
