using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// The full emitted text of small kernels (a GEMM, convolutions, a direct depthwise one) under fixed schedules, compared exactly with the files
/// under <c>Emit/Golden/</c>, so a change in the output is a reviewed change. The comment blocks state
/// a fixed profile rather than the emulator's, so only the emitter, the lowering and the passes move
/// the text. The primitive library and the shim are copied verbatim and are not part of it.
/// </summary>
/// <remarks>
/// To accept a change, run the tests with <c>SWATOP_UPDATE_GOLDEN=1</c>: they rewrite the golden
/// files (and fail, so a regeneration is never mistaken for a pass); review the diff and commit it.
/// </remarks>
public sealed class EmittedGoldenTests
{
    /// <summary>The environment variable that makes the tests rewrite their golden files.</summary>
    public const string UpdateVariable = "SWATOP_UPDATE_GOLDEN";

    private static readonly KernelProfile Profile = new(2.5e-5, [new StepTime("pack A", 1.0e-5, 40_960, OnMpe: false)], 1_048_576, 742.4e9, "fixed for the golden test");

    /// <summary>C = A B, 256 x 40 x 16 in double under the lowering golden test's schedule: two tiles of M split over two core groups, a border tile of N, A double-buffered.</summary>
    private static readonly (OperatorSpec Spec, ImplicitGemmSchedule Schedule) Gemm = (Operator.Gemm(256, 40, 16), Lowering.GemmLoweringGoldenTests.Schedule);

    /// <summary>A float 3 x 3 convolution with stride 2 and padding 1 on 7 x 7 inputs, under its space's default schedule when the golden files were made (the schedule is stored beside them).</summary>
    private static readonly OperatorSpec Convolution = Operator.Conv2d(1, 8, 32, 7, 7, 3, stride: 2, padding: 1, elementType: ElementType.Float32);

    [Test]
    public void A_small_gemm_emits_its_golden_text() => Compare("gemm_256x40x16_double", Gemm.Spec, Gemm.Schedule);

    /// <summary>A double 1 x 1 convolution at batch 128: blocked layouts and overlapped output puts, two K tiles.</summary>
    private static readonly OperatorSpec Pointwise = Operator.Conv2d(128, 16, 32, 3, 3, 1);

    [Test]
    public void A_small_padded_strided_float_convolution_emits_its_golden_text() =>
        Compare("conv2d_3x3_s2_p1_float", Convolution, StoredSchedule("conv2d_3x3_s2_p1_float", () => ImplicitGemmSpace.For(Convolution, Sw26010Target.Default.Limits).Default()));

    [Test]
    public void A_pointwise_convolution_in_blocked_layouts_with_overlapped_puts_emits_its_golden_text()
    {
        var schedule = StoredSchedule("conv2d_1x1_b128_blocked_double", () => ImplicitGemmSpace.For(Pointwise, Sw26010Target.Default.Limits).Enumerate()
            .First(s => s.BlockedLayouts && s.Operand(OperandRole.Output).DoubleBuffer && s.TileK == 8 && s.CoreGroups == 1));
        Assert.That((schedule.BlockedLayouts, schedule.Operand(OperandRole.Output).DoubleBuffer), Is.EqualTo((true, true)));
        Compare("conv2d_1x1_b128_blocked_double", Pointwise, schedule);
    }

    /// <summary>A float depthwise 3 x 3 convolution (12 channels, 9 x 9, padding 1) under the direct algorithm's default schedule.</summary>
    private static readonly OperatorSpec Depthwise = Operator.Conv2d(2, 12, 12, 9, 9, 3, padding: 1, groups: 12, elementType: ElementType.Float32);

    [Test]
    public void A_depthwise_convolution_under_the_direct_algorithm_emits_its_golden_text() =>
        Compare("conv2d_depthwise_3x3_direct_float", Depthwise,
            StoredSchedule("conv2d_depthwise_3x3_direct_float", () => ScheduleSpace.For(Depthwise, Sw26010Target.Default.Limits, null, DirectSchedule.AlgorithmName).Default()));

    /// <summary>The schedule stored beside a golden kernel, or, when rewriting them, <paramref name="choose"/>'s, stored.</summary>
    private static TSchedule StoredSchedule<TSchedule>(string name, Func<TSchedule> choose)
        where TSchedule : Schedule
    {
        var folder = Folder(name);
        var path = Path.Combine(folder, "schedule.json");
        if (File.Exists(path))
        {
            return (TSchedule)Schedule.FromJson(File.ReadAllText(path));
        }

        Assert.That(Environment.GetEnvironmentVariable(UpdateVariable), Is.EqualTo("1"), $"{path} is missing; run with {UpdateVariable}=1 to write it.");
        var schedule = choose();
        Directory.CreateDirectory(folder);
        File.WriteAllText(path, schedule.ToJson() + "\n");
        return schedule;
    }

    private static void Compare(string name, OperatorSpec spec, Schedule schedule)
    {
        var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(Sw26010Target.Default);
        var files = AthreadCEmitter.Emit(kernel, Profile).Files
            .Where(f => f.Key != KernelFiles.Primitives && !AthreadShim.FileNames.Contains(f.Key))
            .ToDictionary(f => f.Key, f => f.Value.ReplaceLineEndings("\n"), StringComparer.Ordinal);
        var folder = Folder(name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(folder);
            foreach (var stale in Directory.GetFiles(folder, "*.golden"))
            {
                File.Delete(stale);
            }

            foreach (var (file, text) in files)
            {
                File.WriteAllText(Path.Combine(folder, file + ".golden"), text);
            }

            Assert.Fail($"{UpdateVariable}=1: rewrote the golden files of {name} in {folder}; review the diff, then run again without it.");
        }

        var stored = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.golden").Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal).ToList() : [];
        Assert.That(stored, Is.EqualTo(files.Keys.Order(StringComparer.Ordinal).ToList()), $"the emitted files of {name}; run with {UpdateVariable}=1 to rewrite them");
        foreach (var (file, text) in files)
        {
            var expected = File.ReadAllText(Path.Combine(folder, file + ".golden")).ReplaceLineEndings("\n");
            Assert.That(text, Is.EqualTo(expected), $"{name}/{file} differs from its golden text; if the change is intended, run with {UpdateVariable}=1 and review the diff.");
        }
    }

    // Found from the repository rather than from the caller's file path, which a build server maps to /_/.
    private static string Folder(string name) =>
        RepositoryFiles.PathOf(Path.Combine("Swatop.Tests", "Emit", "Golden", name));
}
