using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Scheduling;

/// <summary>Must-fail tests of hand-made schedules: one per diagnostic id, each naming the decision, its value and the rule.</summary>
public sealed class ScheduleDiagnosticTests
{
    /// <summary>A valid schedule of <see cref="SmallOperators.Gemm"/> (130 x 40 x 20): two M tiles, two N tiles, three K tiles.</summary>
    private static readonly ImplicitGemmSchedule Gemm = new()
    {
        Mapping = new GemmMapping("m", "n", "k"),
        TileM = 128, TileN = 32, TileK = 8,
        IndexOrder = ["m", "n"],
        ReductionOrder = ["k"],
    };

    private static void Check(OperatorSpec spec, ImplicitGemmSchedule schedule) => LoopPlan.Create(spec, schedule, SmallOperators.Limits);

    [Test]
    public void The_base_schedules_are_valid()
    {
        Assert.DoesNotThrow(() => Check(SmallOperators.Gemm, Gemm));
        Assert.DoesNotThrow(() => Check(SmallOperators.SwDnnConv, Schedules.SwDnn(SmallOperators.SwDnnConv, SmallOperators.Limits)));
    }

    [Test]
    public void Sws0001_a_mapping_that_is_not_the_operators_is_rejected()
    {
        const string legal = "legal: M=m N=n K=k; M=n N=m K=k";
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { Mapping = new GemmMapping("m", "n", "m") }),
            ScheduleDiagnostics.IllegalMapping, "Mapping", "mapping M=m N=n K=m", "K a reduction axis both read", legal);
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { Mapping = new GemmMapping("m", "m", "k") }),
            ScheduleDiagnostics.IllegalMapping, "Mapping", "mapping M=m N=m K=k", legal);
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { Mapping = new GemmMapping("x", "n", "k") }),
            ScheduleDiagnostics.IllegalMapping, "Mapping", "mapping M=x N=n K=k", legal);

        // The input channels are read by both operands: they are no M.
        var conv = Schedules.SwDnn(SmallOperators.SwDnnConv, SmallOperators.Limits);
        ScheduleMust.Fail(() => Check(SmallOperators.SwDnnConv, conv with { Mapping = new GemmMapping("ci", "co", "kh") }),
            ScheduleDiagnostics.IllegalMapping, "Mapping", "mapping M=ci N=co K=kh", "M must be an index axis read by one operand only");
    }

    [Test]
    public void Sws0002_a_tile_off_the_mesh_gemms_quantum_or_beyond_the_padded_extent_is_rejected()
    {
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { TileM = 100 }),
            ScheduleDiagnostics.IllegalTile, "TileM", "TileM = 100", "multiple of 128", "axis 'm' (130)");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { TileM = 384 }),
            ScheduleDiagnostics.IllegalTile, "TileM", "TileM = 384", "at most 256");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { TileN = 0 }),
            ScheduleDiagnostics.IllegalTile, "TileN", "TileN = 0", "positive multiple of 32");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { TileN = 48 }),
            ScheduleDiagnostics.IllegalTile, "TileN", "TileN = 48", "multiple of 32");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { TileK = 32 }),
            ScheduleDiagnostics.IllegalTile, "TileK", "TileK = 32", "at most 24", "axis 'k' (20) padded to 8");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { TileK = -8 }),
            ScheduleDiagnostics.IllegalTile, "TileK", "TileK = -8");
    }

    [Test]
    public void Sws0003_a_loop_order_that_is_not_a_permutation_of_the_loops_is_rejected()
    {
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { IndexOrder = ["m"] }),
            ScheduleDiagnostics.IllegalLoopOrder, "IndexOrder", "IndexOrder = [m]", "must name each of [m, n] exactly once");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { IndexOrder = ["m", "m"] }),
            ScheduleDiagnostics.IllegalLoopOrder, "IndexOrder", "IndexOrder = [m, m]");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { IndexOrder = ["m", "n", "k"] }),
            ScheduleDiagnostics.IllegalLoopOrder, "IndexOrder", "IndexOrder = [m, n, k]");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { IndexOrder = default }),
            ScheduleDiagnostics.IllegalLoopOrder, "IndexOrder", "IndexOrder = []");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { ReductionOrder = ["k_t"] }),
            ScheduleDiagnostics.IllegalLoopOrder, "ReductionOrder", "ReductionOrder = [k_t]", "must name each of [k] exactly once");

        var conv = Schedules.SwDnn(SmallOperators.SwDnnConv, SmallOperators.Limits);
        ScheduleMust.Fail(() => Check(SmallOperators.SwDnnConv, conv with { ReductionOrder = ["kh", "ci", "ow_in"] }),
            ScheduleDiagnostics.IllegalLoopOrder, "ReductionOrder", "ReductionOrder = [kh, ci, ow_in]", "[ci, kh, kw]");
    }

    [Test]
    public void Sws0004_a_window_that_does_not_fit_the_operator_is_rejected()
    {
        var conv = Schedules.SwDnn(SmallOperators.SwDnnConv, SmallOperators.Limits);
        ScheduleMust.Fail(() => Check(SmallOperators.SwDnnConv, conv with { WindowAxis = "n" }),
            ScheduleDiagnostics.IllegalWindow, "WindowAxis", "WindowAxis = 'n'", "other than the GEMM's M and N");
        ScheduleMust.Fail(() => Check(SmallOperators.SwDnnConv, conv with { WindowAxis = "kw" }),
            ScheduleDiagnostics.IllegalWindow, "WindowAxis", "WindowAxis = 'kw'", "must be an index axis");
        ScheduleMust.Fail(() => Check(SmallOperators.SwDnnConv, conv with { Window = 5 }),
            ScheduleDiagnostics.IllegalWindow, "Window", "Window = 5", "between 1 and the extent 4 of axis 'ow'");
        ScheduleMust.Fail(() => Check(SmallOperators.SwDnnConv, conv with { Window = 0 }),
            ScheduleDiagnostics.IllegalWindow, "Window", "Window = 0");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { Window = 2 }),
            ScheduleDiagnostics.IllegalWindow, "Window", "Window = 2 needs a WindowAxis", "must be 1");

        var batched = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("m", "n", "k"), TileM = 128, TileN = 32, TileK = 8,
            IndexOrder = ["b", "m", "n"], ReductionOrder = ["k"], WindowAxis = "b",
        };
        ScheduleMust.Fail(() => Check(SmallOperators.BatchedGemm, batched),
            ScheduleDiagnostics.IllegalWindow, "WindowAxis", "WindowAxis = 'b' is no sliding window", "'b * stride + tap * dilation + c'");
    }

    [Test]
    public void Sws0005_a_dma_level_that_names_no_reduction_loop_is_rejected()
    {
        // The K axis's loop is its tile loop, k_t: the axis name is not a loop.
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm.WithLevel(OperandRole.A, "k")),
            ScheduleDiagnostics.IllegalDmaLevel, "Operands[A].Level", "operand A, 'k', names no reduction loop", "the loops are [k_t]", "or null");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm.WithLevel(OperandRole.B, "m_t")),
            ScheduleDiagnostics.IllegalDmaLevel, "Operands[B].Level", "operand B, 'm_t'");

        var conv = Schedules.SwDnn(SmallOperators.SwDnnConv, SmallOperators.Limits);
        ScheduleMust.Fail(() => Check(SmallOperators.SwDnnConv, conv.WithLevel(OperandRole.B, "ow")),
            ScheduleDiagnostics.IllegalDmaLevel, "Operands[B].Level", "operand B, 'ow'", "the loops are [kh, ow_in, kw, ci_t]");
    }

    [Test]
    public void Sws0006_a_core_group_split_that_does_not_fit_is_rejected()
    {
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { CoreGroups = 5, SplitAxis = "m" }),
            ScheduleDiagnostics.IllegalSplit, "CoreGroups", "CoreGroups = 5", "between 1 and the target's 4");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { CoreGroups = 0 }),
            ScheduleDiagnostics.IllegalSplit, "CoreGroups", "CoreGroups = 0");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { SplitAxis = "m" }),
            ScheduleDiagnostics.IllegalSplit, "SplitAxis", "SplitAxis = 'm' needs CoreGroups above 1");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { CoreGroups = 2 }),
            ScheduleDiagnostics.IllegalSplit, "SplitAxis", "SplitAxis = 'null'", "one of the index loops [m, n]", "2 core groups");
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { CoreGroups = 2, SplitAxis = "k" }),
            ScheduleDiagnostics.IllegalSplit, "SplitAxis", "SplitAxis = 'k'");

        // Two M tiles among four core groups: two groups would idle.
        ScheduleMust.Fail(() => Check(SmallOperators.Gemm, Gemm with { CoreGroups = 4, SplitAxis = "m" }),
            ScheduleDiagnostics.IllegalSplit, "CoreGroups", "CoreGroups = 4 leaves a core group without work", "loop 'm_t' has 2 iterations", "parts of 1");
        Assert.DoesNotThrow(() => Check(SmallOperators.Gemm, Gemm with { CoreGroups = 2, SplitAxis = "m" }));

        // Six M tiles in parts of two fill three core groups exactly and leave the fourth idle; eight fill all four.
        ScheduleMust.Fail(() => Check(Operator.Gemm(700, 40, 20), Gemm with { CoreGroups = 4, SplitAxis = "m" }),
            ScheduleDiagnostics.IllegalSplit, "CoreGroups", "CoreGroups = 4 leaves a core group without work", "loop 'm_t' has 6 iterations", "parts of 2");
        Assert.DoesNotThrow(() => Check(Operator.Gemm(1000, 40, 20), Gemm with { CoreGroups = 4, SplitAxis = "m" }));
    }

    [Test]
    public void Sws0007_buffers_beyond_the_ldm_budget_are_rejected()
    {
        var big = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("m", "n", "k"), TileM = 1024, TileN = 1024, TileK = 1024, IndexOrder = ["m", "n"], ReductionOrder = ["k"],
        };

        // 1024 / 8 x 1024 / 8 doubles for each of A, B and C on every CPE: 3 x 16384 x 8 bytes, and the mesh
        // GEMM's workspace, a panel of 4 rows of B and a strip of A, 4 x (128 + 16) doubles.
        ScheduleMust.Fail(() => Check(Operator.Gemm(1024, 1024, 1024), big),
            ScheduleDiagnostics.LdmOverflow, "Tile", "TileM = 1024, TileN = 1024, TileK = 1024", "need 397824 bytes", "workspace 576 elements", "budget is 56320 bytes");

        // A's whole K strip, 8 blocks of 64 x 8 doubles a CPE, fits once but not twice: the double buffering is what overflows.
        var strip = new ImplicitGemmSchedule
        {
            Mapping = new GemmMapping("m", "n", "k"), TileM = 512, TileN = 256, TileK = 64, IndexOrder = ["m", "n"], ReductionOrder = ["k"],
        }.WithLevel(OperandRole.B, "k_t");
        var spec = Operator.Gemm(512, 256, 512);
        Assert.DoesNotThrow(() => Check(spec, strip));
        ScheduleMust.Fail(() => Check(spec, strip.WithDoubleBuffer(OperandRole.A, true)),
            ScheduleDiagnostics.LdmOverflow, "Tile", "A@top+db", "A 4096 x 2", "need 85504 bytes", "budget is 56320 bytes");
    }

    [Test]
    public void Sws0008_json_that_is_not_a_schedule_is_rejected()
    {
        ScheduleMust.Fail(() => Schedule.FromJson("{"), ScheduleDiagnostics.MalformedJson, "json", "The JSON text is not a schedule");
        ScheduleMust.Fail(() => Schedule.FromJson(Gemm.ToJson().Replace("\"tileK\":8", "\"tileK\":\"eight\"", StringComparison.Ordinal)),
            ScheduleDiagnostics.MalformedJson, "json", "The JSON text is not a schedule", "$.tileK");
    }

    [Test]
    public void Sws0010_blocked_layouts_where_no_operand_has_a_plain_dimension_per_gemm_axis_are_rejected()
    {
        // C[i + 4 j] = sum_k A[i + k] * B[k + j]: the output's dimension fuses M and N, each operand slides.
        var (i, j, k) = (Axis.Index("i", 4), Axis.Index("j", 5), Axis.Reduction("k", 3));
        var (a, b, c) = (new TensorDeclaration("A", [6]), new TensorDeclaration("B", [7]), new TensorDeclaration("C", [20]));
        var spec = Operator.Define(Contraction.Create("fused", [i, j], [k], c[[i + (4 * (AffineExpression)j)]], a[[i + (AffineExpression)k]], b[[k + (AffineExpression)j]]));
        var plain = new ImplicitGemmSchedule { Mapping = new GemmMapping("i", "j", "k"), TileM = 128, TileN = 32, TileK = 8, IndexOrder = ["i", "j"], ReductionOrder = ["k"] };
        Assert.DoesNotThrow(() => Check(spec, plain));
        ScheduleMust.Fail(() => Check(spec, plain with { BlockedLayouts = true }),
            ScheduleDiagnostics.IllegalBlocking, "BlockedLayouts", "BlockedLayouts = true needs an operand whose GEMM axes each index one of its dimensions directly",
            "mapping M=i N=j K=k", "A A[i + k]");
        Assert.That(ImplicitGemmSpace.For(spec, SmallOperators.Limits).Enumerate().Where(s => s.BlockedLayouts), Is.Empty);
        Assert.DoesNotThrow(() => Check(SmallOperators.Gemm, Gemm with { BlockedLayouts = true }));
    }

    [Test]
    public void Sws0009_the_swdnn_schedule_refuses_an_operator_swdnn_does_not_support()
    {
        static void Refused(OperatorSpec spec, params string[] mentions) =>
            ScheduleMust.Fail(() => Schedules.SwDnn(spec, SmallOperators.Limits), ScheduleDiagnostics.NotApplicable, "convolution", ["The swDNN schedule does not apply", .. mentions]);

        Refused(SmallOperators.Gemm, "applies to 2-D convolutions, not Gemm");
        Refused(Operator.Conv2d(100, 8, 32, 6, 6, 3), "the batch (100) must be a multiple of 128");
        Refused(Operator.Conv2d(128, 12, 32, 6, 6, 3), "inChannels (12) must be a multiple of 8");
        Refused(Operator.Conv2d(128, 8, 40, 6, 6, 3), "outChannels (40) must be a multiple of 32");
        Refused(Operator.Conv2d(128, 8, 32, 7, 6, 3), "the output rows (5) must divide among the 4 core groups");
        Refused(Operator.Conv2d(128, 8, 32, 9, 9, 3, stride: 2), "stride 1, dilation 1, no padding, one group");
        Refused(Operator.Conv2d(128, 8, 32, 6, 6, 3, padding: 1), "no padding");
        Refused(Operator.Conv2d(128, 8, 32, 6, 6, new Size2(3, 1)), "square");
        Refused(Operator.Conv2d(128, 8, 32, 6, 6, 3, layout: ConvLayout.Nhwc), "NCHW");
        Refused(Operator.Conv2d(128, 256, 256, 6, 6, 3), "CoStride = -3", "55 KB");
    }
}
