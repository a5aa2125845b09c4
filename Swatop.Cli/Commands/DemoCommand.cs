using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Ir.Passes;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Kernels;
using Swatop.Primitives;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop demo</c>: a ResNet-50 layer through the whole pipeline (described, tuned, lowered,
/// optimized pass by pass, emitted as athread C, run on the emulated chip and checked against the
/// reference); then a GEMM on all four emulated core groups with the hand-written tiled kernel,
/// checked bit for bit, with what ran and how fast the emulation went; then swDNN's handcrafted
/// convolution on the first row of the calibration file, timed as it was measured, beside the
/// measured figure.
/// </summary>
internal static class DemoCommand
{
    internal const int Size = 512;

    /// <summary>Declares the command, which takes no options.</summary>
    internal static Command Create()
    {
        var command = new Command("demo", "Tune, emit, run and check a ResNet-50 layer; run and check a GEMM on all four core groups; time swDNN's convolution beside its measured speed.");
        command.SetAction(result => Run(result.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>Runs the demo, writes its report to <paramref name="output"/> and returns the exit code (0 when every check passed).</summary>
    internal static int Run(TextWriter output, EmulatorOptions? options = null)
    {
        var layerPassed = RunLayer(output);
        output.WriteLine();
        var chip = new Sw26010Chip(Sw26010Spec.Default, options ?? EmulatorOptions.Default);
        var groups = chip.CoreGroups.Count;
        int m = Size, n = Size, k = Size, columnsPerGroup = n / groups;
        var kernel = new TiledGemmKernel(m, columnsPerGroup, k, tileM: 256, tileN: 128, tileK: 256);
        var random = new Random(2019);
        var a = RandomMatrix(random, m * k);
        var b = RandomMatrix(random, k * n);
        var c = RandomMatrix(random, m * n);

        var buffers = chip.CoreGroups.Select(group =>
        {
            var columns = group.Index * columnsPerGroup;
            var ga = group.Memory.Allocate<double>("A", m * k);
            var gb = group.Memory.Allocate<double>("B", k * columnsPerGroup);
            var gc = group.Memory.Allocate<double>("C", m * columnsPerGroup);
            group.Mpe.Run("place A, B and C", _ =>
            {
                a.CopyTo(ga.AsSpan<double>());
                b.AsSpan(columns * k, columnsPerGroup * k).CopyTo(gb.AsSpan<double>());
                c.AsSpan(columns * m, columnsPerGroup * m).CopyTo(gc.AsSpan<double>());
            });
            return (A: ga, B: gb, C: gc);
        }).ToList();

        var report = chip.Run(group => kernel.Program(buffers[group.Index].A, buffers[group.Index].B, buffers[group.Index].C));

        var clock = Stopwatch.StartNew();
        var expected = c.ToArray();
        ReferenceGemm.MultiplyAdd(m, n, k, a, m, b, k, expected, m);
        var referenceTime = clock.Elapsed;
        var mismatches = 0;
        foreach (var group in chip.CoreGroups)
        {
            var actual = buffers[group.Index].C.AsSpan<double>();
            var want = expected.AsSpan(group.Index * columnsPerGroup * m, columnsPerGroup * m);
            for (var i = 0; i < actual.Length; i++)
            {
                mismatches += BitConverter.DoubleToInt64Bits(actual[i]) == BitConverter.DoubleToInt64Bits(want[i]) ? 0 : 1;
            }
        }

        var total = report.Total;
        var ic = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ic, $"Swatop demo: C ({m} x {n}) += A ({m} x {k}) * B ({k} x {n}), double, on {groups} emulated SW26010 core groups"));
        output.WriteLine(string.Create(ic, $"  kernel     tiled mesh GEMM, tiles {kernel.TileM} x {kernel.TileN} x {kernel.TileK}, {kernel.LdmBytesPerCpe} LDM bytes per CPE; each CG computes {columnsPerGroup} columns of C"));
        output.WriteLine(string.Create(ic, $"  ran        {total.MeshGemmCalls / chip.Spec.CpesPerCoreGroup / groups} mesh GEMM calls per CG x {groups} CGs, {total.DmaGets} DMA gets ({total.DmaGetBytes / 1024.0 / 1024.0:F1} MiB in {total.DmaBlocks} blocks), {total.DmaPuts} puts, {total.RlcPuts} register puts, {total.Flops / 1e9:F3} GFlop"));
        output.WriteLine(string.Create(ic, $"  emulation  {report.HostTime.TotalMilliseconds:F1} ms on the host ({report.HostFlopsPerSecond / 1e9:F2} GFLOPS of emulated work, {chip.Options.Mode.ToString().ToLowerInvariant()} mode, {chip.Options.HostThreads} host threads)"));
        output.WriteLine(string.Create(ic, $"  check      {(mismatches == 0 ? "bit-identical to the reference GEMM" : $"{mismatches} of {m * n} elements differ from the reference GEMM")} (reference took {referenceTime.TotalMilliseconds:F0} ms)"));
        output.WriteLine(string.Create(ic, $"  simulated  {report.Profile}"));
        output.WriteLine(string.Create(ic, $"  result     {(mismatches == 0 ? "PASS" : "FAIL")}"));
        output.WriteLine();
        RunSwDnn(output, options);
        return mismatches == 0 && layerPassed ? 0 : 1;
    }

    /// <summary>
    /// ResNet-50's stage-3 3 x 3 convolution at batch 32, float: described, tuned (the model ranks its
    /// space, the emulator measures the best few; no database is read or written), lowered and
    /// optimized, emitted as athread C into a temporary folder, run on the emulated chip and checked
    /// against the reference.
    /// </summary>
    private static bool RunLayer(TextWriter output)
    {
        var ic = CultureInfo.InvariantCulture;
        var conv = Operator.Conv2d(batch: 32, inChannels: 128, outChannels: 128, height: 28, width: 28, kernel: 3, padding: 1, elementType: ElementType.Float32);
        var target = Sw26010Target.Default;
        output.WriteLine(string.Create(ic, $"Swatop demo: ResNet-50 stage 3, 3 x 3 convolution, {conv.Signature}, {conv.Flops / 1e9:F2} GFlop"));
        var fallback = conv.Space(target.Limits).Default();
        var untuned = new TargetMeasurer(target).Measure(conv, fallback, CancellationToken.None).Seconds;
        var tuned = conv.Tune(target, new TuningOptions());
        var schedule = tuned.Schedule;
        output.WriteLine(string.Create(ic, $"  tuned      {tuned.CandidatesRanked} candidates ranked by the cost model, {tuned.CandidatesMeasured} measured on the emulator, in {tuned.Elapsed.TotalSeconds:F2} s"));
        output.WriteLine($"  schedule   {schedule}");
        output.WriteLine(string.Create(ic, $"  speed      {tuned.MeasuredSeconds * 1e3:F3} ms simulated (model predicted {tuned.PredictedSeconds * 1e3:F3} ms); the space's default schedule takes {untuned * 1e3:F3} ms, {untuned / tuned.MeasuredSeconds:F2}x as long"));
        var kernel = tuned.Emit();
        var folder = Path.Combine(Path.GetTempPath(), "swatop-demo-kernel");
        var files = kernel.Sources.WriteTo(folder);
        output.WriteLine($"  emitted    athread C in {folder}: {string.Join(", ", files.Select(Path.GetFileName))}");
        var optimized = PassPipeline.Default.Run(conv.WithSchedule(schedule).Lower(target.Limits).Kernel, target.PassContext.ForCoreGroups(schedule.CoreGroups));
        output.WriteLine(string.Create(ic, $"  passes     {string.Join(", ", optimized.Passes.Select(p => $"{p.Name} {p.Elapsed.TotalMicroseconds:F0} us{(p.Changed ? "" : " (no change)")}"))}"));
        var check = OperatorCheck.Run(conv, schedule, target, seed: 2019);
        output.WriteLine($"  check      {check.Comparison}");
        output.WriteLine($"  simulated  {check.Profile}");
        output.WriteLine(string.Create(ic, $"  host       {check.HostSeconds:F2} s to compile, emulate and check"));
        output.WriteLine($"  result     {(check.Comparison.Passed ? "PASS" : "FAIL")}");
        return check.Comparison.Passed;
    }

    /// <summary>The first calibration row: B = 128, Ni = No = 128, 18 x 18 input, 3 x 3 kernel, measured at 1329.3 GFLOPS on 4 core groups.</summary>
    private static void RunSwDnn(TextWriter output, EmulatorOptions? options)
    {
        const double measured = 1329.33622;
        var shape = new SwDnnShape(batch: 128, inChannels: 128, outChannels: 128, inHeight: 18, inWidth: 18, kernel: 3);
        var clock = Stopwatch.StartNew();
        var (kernel, profile) = CalibrateCommand.MeasureSwDnn(shape, options);
        var ic = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ic, $"swDNN convolution, {shape}, double, 4 core groups, CoStride {kernel.CoStride}, {CalibrateCommand.Spawns} spawns as measured (timing only, {clock.Elapsed.TotalMilliseconds:F0} ms on the host)"));
        output.WriteLine(string.Create(ic, $"  simulated  {profile}"));
        output.WriteLine(string.Create(ic, $"  measured   {measured:F1} GFLOPS on the real machine; simulated / measured = {profile.Gflops / measured:F3}"));
    }

    private static double[] RandomMatrix(Random random, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }

        return values;
    }
}
