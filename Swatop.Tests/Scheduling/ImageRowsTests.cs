using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Scheduling;

/// <summary>
/// Schedules that give each mesh row one image (<c>MergedAxes = ["n", "oh", "ow"]</c>): a 1 x 1, stride-1 convolution's M
/// walks <c>[image, position]</c>, a CPE's block all of one image's positions padded to the per-CPE quantum, and the
/// kernel reads and writes NCHW in place. The space offers them only where they are valid, they are refused with the rule
/// they break, and their kernels compute what the reference does, on the emulator and through the shim, with positions that
/// are not a multiple of the quantum and batches that are not a multiple of eight.
/// </summary>
public sealed class ImageRowsTests
{
    /// <summary>10 images (not a multiple of 8) of 7 x 7 positions (49, padded to 64 a CPE).</summary>
    private static readonly OperatorSpec Small = Operator.Conv2d(10, 24, 40, 7, 7, 1);

    /// <summary>M walks eight images of <paramref name="padded"/> positions a tile, N the output channels, K the input channels.</summary>
    internal static ImplicitGemmSchedule Rows(int padded = 64, int tileK = 24, int coreGroups = 1, string? split = null) => new()
    {
        Mapping = new GemmMapping("n_oh_ow", "co", "ci"),
        TileM = 8 * padded, TileN = 32, TileK = tileK,
        IndexOrder = ["n_oh_ow", "co"],
        ReductionOrder = ["ci"],
        MergedAxes = ["n", "oh", "ow"],
        CoreGroups = coreGroups, SplitAxis = split,
    };

    [Test]
    public void A_1x1_stride_1_convolution_in_NCHW_is_offered_one_image_a_mesh_row_with_M_over_images_and_positions()
    {
        var points = ImplicitGemmSpace.For(Small, SmallOperators.Limits).Enumerate().Where(s => s.MergedAxes.Length == 3).ToList();
        Assert.That(points, Is.Not.Empty);
        Assert.That(points, Is.All.Matches<ImplicitGemmSchedule>(s => s.MergedAxes.SequenceEqual(["n", "oh", "ow"]) && s.Mapping.M == "n_oh_ow"), "M walks the images' positions");
        Assert.That(points.Select(s => s.TileM).Distinct(), Is.EquivalentTo(new[] { 512, 256, 128 }),
            "49 positions padded to 64 a CPE, or over two mesh rows in runs of 25 padded to 32, or over four in runs of 13 padded to 16; over eight is the same tile as over four");
    }

    [TestCase(3, 1, ConvLayout.Nchw, TestName = "A 3 x 3 convolution is offered no image rows")]
    [TestCase(1, 2, ConvLayout.Nchw, TestName = "A stride-2 1 x 1 convolution is offered no image rows")]
    [TestCase(1, 1, ConvLayout.Nhwc, TestName = "A 1 x 1 convolution in NHWC, whose positions are not innermost, is offered no image rows")]
    public void Where_the_positions_are_not_one_contiguous_dimension_of_each_tensor_the_space_offers_no_image_rows(int kernel, int stride, ConvLayout layout)
    {
        var spec = Operator.Conv2d(8, 16, 32, 8, 8, kernel, stride: stride, padding: kernel / 2, layout: layout);
        Assert.That(ImplicitGemmSpace.For(spec, SmallOperators.Limits).Enumerate().Where(s => s.MergedAxes.Length == 3), Is.Empty);
        ScheduleMust.Fail(() => LoopPlan.Create(spec, Rows(), SmallOperators.Limits), ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.MergedAxes), "one image");
    }

    [Test]
    public void The_kernel_reads_and_writes_the_framework_tensors_as_they_are_and_the_groups_hold_whole_tiles_of_eight_images()
    {
        var spec = Operator.Conv2d(32, 24, 40, 7, 7, 1);
        var plan = LoopPlan.Create(spec, Rows(coreGroups: 4, split: "n_oh_ow"), SmallOperators.Limits);
        var placements = plan.Placements.ToDictionary(p => p.Tensor.Name);
        Assert.That(placements["input"].Layout.IsIdentity, placements["input"].Layout.ToString());
        Assert.That(placements["output"].Layout.IsIdentity, placements["output"].Layout.ToString());
        Assert.That(placements["output"].Tensor, Is.EqualTo(spec.Expression.Output.Tensor), "placements name the framework tensors, not the view's");
        var output = (SplitDistribution)plan.DistributionOf(spec.Expression.Output.Tensor);
        Assert.That((output.Dimension, output.PositionsPerGroup), Is.EqualTo((0, 8L)), "each group holds one tile: eight images");
        Assert.That(plan.DistributionOf(spec.Expression.Left.Tensor), Is.EqualTo(output), "each group reads only its images of the input");
    }

    [Test]
    public void A_tile_of_M_that_no_number_of_mesh_rows_an_image_gives_is_refused()
    {
        ScheduleMust.Fail(() => LoopPlan.Create(Small, Rows() with { TileM = 384 }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.TileM), "[512, 256, 128]");
    }

    [Test]
    public void Image_rows_whose_M_is_not_the_mesh_rows_are_refused()
    {
        ScheduleMust.Fail(() => LoopPlan.Create(Small, Rows() with { Mapping = new GemmMapping("co", "n_oh_ow", "ci"), TileM = 64, TileN = 512 }, SmallOperators.Limits),
            ScheduleDiagnostics.IllegalMerge, nameof(ImplicitGemmSchedule.Mapping), "M = n_oh_ow");
    }

    [Test]
    public void An_image_rows_schedule_reads_back_from_its_json()
    {
        var rows = Rows();
        Assert.That(Schedule.FromJson(rows.ToJson()), Is.EqualTo(rows));
        Assert.That(rows.ToJson(), Does.Contain("\"mergedAxes\":[\"n\",\"oh\",\"ow\"]"));
    }

    [Test]
    public void An_image_rows_kernel_computes_what_the_reference_does_with_padded_positions_and_a_partial_tile_of_images()
    {
        var kernel = (Sw26010Kernel)Small.WithSchedule(Rows()).Emit(Sw26010Target.Default);
        var input = Tensor.Create(Enumerable.Range(0, 10 * 24 * 49).Select(i => (double)(i % 7) - 3).ToArray(), [10, 24, 7, 7]);
        var weights = Tensor.Create(Enumerable.Range(0, 40 * 24).Select(i => (double)(i % 5) - 2).ToArray(), [40, 24, 1, 1]);

        var run = kernel.Run(input, weights);

        var actual = new double[Small.Expression.Output.Tensor.ElementLength];
        run.Output.FlattenTo(actual);
        Assert.That(actual, Is.EqualTo(ReferenceEvaluator.Evaluate(Small.Expression, input.ToArray(), weights.ToArray())), "small integers: exact");
        Assert.That(kernel.LayoutSteps.Select(step => step.Step.Tensor.Name), Has.None.EqualTo("input").And.None.EqualTo("output"), "the kernel reads and writes NCHW in place");
    }

    [Test]
    public void Image_rows_kernels_match_the_reference_and_the_emulator_through_the_shim()
    {
        // 49 positions padded to 64, 10 images: the second tile holds two images and six empty mesh rows.
        EmittedC.CheckAgainstEmulator(Small, Rows(), seed: 21, GccShimOptions.Default);

        // The same over two mesh rows an image (runs of 25 and 24 positions, padded to 32): 4 images a tile, the third tile two.
        EmittedC.CheckAgainstEmulator(Small, Rows(padded: 32), seed: 24, GccShimOptions.Default);

        // 14 x 14 = 196 positions padded to 208, 16 images over two core groups, a K border tile, in float.
        var fourteen = Operator.Conv2d(16, 40, 32, 14, 14, 1, elementType: Primitives.ElementType.Float32);
        EmittedC.CheckAgainstEmulator(fourteen, Rows(padded: 208, tileK: 16, coreGroups: 2, split: "n_oh_ow") with { ReductionOrder = ["ci"] }, seed: 22, GccShimOptions.Default);

        // 196 positions over four mesh rows (runs of 49 padded to 64), two images a tile, all of K in one tile.
        EmittedC.CheckAgainstEmulator(fourteen, Rows(padded: 64, tileK: 40, coreGroups: 4, split: "n_oh_ow"), seed: 25, GccShimOptions.Default);

        // 4 x 4 = 16 positions, whole blocks; 5 images; bias, residual and ReLU in the epilogue.
        var fused = Operator.Conv2d(5, 16, 32, 4, 4, 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());
        EmittedC.CheckAgainstEmulator(fused, Rows(padded: 16, tileK: 16), seed: 23, GccShimOptions.Default);

        // 7 x 7 with the epilogue, 9 images (the second tile one image and seven empty slots): the output's tiles put compacted,
        // the residual gotten a column at a time; the output's buffer single and the compacted one doubled.
        var fusedPadded = Operator.Conv2d(9, 16, 32, 7, 7, 1).WithEpilogue(EpilogueStep.Bias(), EpilogueStep.ResidualAdd(), EpilogueStep.Relu());
        EmittedC.CheckAgainstEmulator(fusedPadded, Rows(padded: 64, tileK: 16) with { Operands = [new(OperandRole.A), new(OperandRole.B), new(OperandRole.Output, DoubleBuffer: true)] }, seed: 27, GccShimOptions.Default);
    }

    [Test]
    public void With_one_image_a_mesh_row_and_padded_positions_each_CPE_puts_its_output_block_in_one_request()
    {
        // 8 images of 7 x 7 (49 positions padded to 64), 16 input and 32 output channels: one tile of M, N and K. A CPE's
        // output block, 4 channels of its image's 49 positions, lies in one contiguous run of the NCHW output.
        var spec = Operator.Conv2d(8, 16, 32, 7, 7, 1);
        var schedule = Rows(padded: 64, tileK: 16);
        var plan = LoopPlan.Create(spec, schedule, SmallOperators.Limits);
        Assert.That(plan.OutputRunElements, Is.EqualTo(49 * 4), "the compacted buffer holds a block's valid rows");

        var group = ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(Sw26010Target.Default)).MeasureReport().CoreGroups[0].Profile;

        // The puts one request a CPE (64), the input a request a valid column (2 a CPE: its rows padded in LDM, 128), the
        // weights one request a CPE (64). A request a channel, the puts would be 256 of them.
        Assert.That(group.DmaRequests, Is.EqualTo(64 + 128 + 64));
    }

    [Test]
    public void The_model_counts_a_compacted_image_rows_kernel_s_compute_and_controller_time_as_the_emulator_does()
    {
        // ResNet-50's res5_1x1_expand at batch 128 in double with its tuned schedule: 32 images a core group, four tiles of M.
        var spec = Operator.Conv2d(128, 512, 2048, 7, 7, 1, elementType: Primitives.ElementType.Float64);
        var schedule = Schedule.FromJson("""
            {"algorithm":"implicit-gemm","mapping":{"m":"n_oh_ow","n":"co","k":"ci"},"tileM":512,"tileN":32,"tileK":512,
             "indexOrder":["n_oh_ow","co"],"reductionOrder":["ci"],"windowAxis":null,"window":1,
             "operands":[{"role":"a","level":null,"doubleBuffer":false},{"role":"b","level":null,"doubleBuffer":true},{"role":"output","level":null,"doubleBuffer":true}],
             "blockedLayouts":true,"mergedAxes":["n","oh","ow"],"coreGroups":4,"splitAxis":"n_oh_ow"}
            """);
        var target = Sw26010Target.Default;
        var plan = (LoopPlan)ImplicitGemmAlgorithm.Instance.Plan(spec, schedule, target.Limits);
        Assert.That(plan.OutputRunElements, Is.GreaterThan(0), "the puts are compacted");
        var account = plan.Accept<CostAccount>(new Sw26010CostModel(target.Spec));
        var report = ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(target)).MeasureReport();
        var group = report.CoreGroups[0].Profile;
        var compute = group.Total.ComputeCycles / group.Cpes.Count / target.Spec.ClockHz;

        Assert.That(account.ComputeSeconds, Is.EqualTo(compute).Within(1).Percent, "the mesh GEMMs, the fills and the copies into the compacted buffer");
        Assert.That(account.HiddenDmaSeconds + account.ExposedDmaSeconds, Is.EqualTo(group.ControllerBusyCycles / target.Spec.ClockHz).Within(1).Percent,
            "the input's requests a column, the weights' blocks and the puts' one request a CPE");
        // The total overlaps the compute and the double-buffered transfers as the model does any implicit GEMM's (the cube
        // root of their cubes' sum); on this compute-bound kernel, whose puts and weights the emulator hides almost wholly
        // under the mesh GEMMs, that is 12.3% above the emulator's time (8.602 against 7.661 ms).
        Assert.That(account.Seconds, Is.EqualTo(report.Profile.SimulatedSeconds).Within(15).Percent);
    }

    [TestCase(512, 256, 128, "co", true, true, TestName = "res5_1x1_reduce, tuned: 512 x 256 x 128, the input and weights double-buffered")]
    [TestCase(256, 512, 256, "n_oh_ow", true, false, TestName = "res5_1x1_reduce, least bound: 256 x 512 x 256, the weights single-buffered")]
    public void No_image_rows_kernel_runs_faster_than_the_larger_of_its_modelled_compute_and_controller_time(int tileM, int tileN, int tileK, string outer, bool inputDoubled, bool weightsDoubled)
    {
        // The premise of the image-rows bound (Swatop.Benchmarks/ImageRowsBound.cs): a kernel's CPEs do all its compute and its
        // controller serves all its transfers, so no schedule runs faster than the larger of the two as the model counts them.
        var spec = Operator.Conv2d(128, 2048, 512, 7, 7, 1, elementType: Primitives.ElementType.Float64);
        var inner = outer == "co" ? "n_oh_ow" : "co";
        var schedule = Schedule.FromJson($$"""
            {"algorithm":"implicit-gemm","mapping":{"m":"n_oh_ow","n":"co","k":"ci"},"tileM":{{tileM}},"tileN":{{tileN}},"tileK":{{tileK}},
             "indexOrder":["{{outer}}","{{inner}}"],"reductionOrder":["ci"],"windowAxis":null,"window":1,
             "operands":[{"role":"a","level":"ci_t","doubleBuffer":{{(inputDoubled ? "true" : "false")}}},{"role":"b","level":"ci_t","doubleBuffer":{{(weightsDoubled ? "true" : "false")}}},{"role":"output","level":null,"doubleBuffer":false}],
             "blockedLayouts":true,"mergedAxes":["n","oh","ow"],"coreGroups":4,"splitAxis":"n_oh_ow"}
            """);
        var target = Sw26010Target.Default;
        var plan = (LoopPlan)ImplicitGemmAlgorithm.Instance.Plan(spec, schedule, target.Limits);
        var account = plan.Accept<CostAccount>(new Sw26010CostModel(target.Spec));
        var measured = ((Sw26010Kernel)spec.WithSchedule(schedule).Emit(target)).MeasureReport().Profile.SimulatedSeconds;
        var bound = Math.Max(account.ComputeSeconds, account.HiddenDmaSeconds + account.ExposedDmaSeconds);

        Assert.That(bound, Is.LessThanOrEqualTo(measured * 1.005), "the model's compute and controller time are within 0.5% of the emulator's, and the kernel waits for both");
    }

    [Test]
    public void An_im2col_kernel_whose_GEMM_gives_each_mesh_row_one_image_matches_the_reference_and_the_emulator_through_the_shim()
    {
        // The column matrix of a 3 x 3, stride-2 convolution is read by a 1 x 1 convolution, whose image rows the im2col space offers.
        var spec = Operator.Conv2d(10, 8, 16, 9, 9, 3, stride: 2, padding: 1);
        var schedule = Swatop.Core.Algorithms.Im2col.Im2colAlgorithm.Instance.Space(spec, SmallOperators.Limits, PlacementConstraints.None).Enumerate()
            .OfType<Swatop.Core.Algorithms.Im2col.Im2colSchedule>().FirstOrDefault(s => s.Gemm.MergedAxes.Length == 3);
        Assert.That(schedule, Is.Not.Null, "the im2col space offers image rows for its GEMM");
        var check = EmittedC.CheckAgainstEmulator(spec, schedule!, seed: 26, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
