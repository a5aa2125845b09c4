using System.Reflection;
using System.Text.RegularExpressions;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Timing;

/// <summary>
/// Each primitive is described once and its readers agree with the description: the emulator spends
/// and counts what it says, the C library and the athread header define the functions and hooks it
/// names, and the shim's counts are the columns it names.
/// </summary>
public sealed class PrimitiveDescriptionTests
{
    private static readonly Sw26010Timing Timing = Sw26010Timing.Default;

    public static IEnumerable<TestCaseData> Descriptions() => Sw26010Primitives.All.Select(d => new TestCaseData(d.Name).SetArgDisplayNames(d.Name));

    [Test]
    public void The_C_library_defines_every_function_the_descriptions_name()
    {
        // Each name is a function whose address gcc takes, or (swatop_dma_wait) a function-like macro.
        var names = Sw26010Primitives.All.SelectMany(d => d.CFunctions).ToList();
        var lines = names.Select((name, i) => $"#ifndef {name}\nvoid *const swatop_check_{i} = (void *)&{name};\n#endif");
        var program = $"#include \"{KernelFiles.Primitives}\"\n{string.Join("\n", lines)}\nint main(void) {{ return 0; }}\n";
        var library = File.ReadAllText(RepositoryFiles.PathOf($"Swatop.Hardware.SW26010/Emit/Library/{KernelFiles.Primitives}"));
        using var build = GccShim.Build("primitive_names", new Dictionary<string, string> { [KernelFiles.Primitives] = library, ["names.c"] = program });
        Assert.That(names, Is.Not.Empty);
    }

    [TestCaseSource(nameof(Descriptions))]
    public void The_athread_header_defines_a_description_s_counting_hook_for_both_builds(string primitive)
    {
        var description = Sw26010Primitives.All.Single(d => d.Name == primitive);
        var header = AthreadShim.Text(AthreadShim.IncludeFileName);
        if (description.CountHook is { } hook)
        {
            Assert.That(Regex.Count(header, $@"#define {Regex.Escape(hook)}\("), Is.EqualTo(2), $"{hook}: the shim's and the real machine's");
        }
    }

    [Test]
    public void The_shim_writes_the_columns_the_descriptions_count_in_the_order_ShimCounts_reads()
    {
        var source = AthreadShim.Text(AthreadShim.SourceFileName);
        var call = Regex.Match(source, "fprintf\\(out, (\"cpe,(?:[^;])*)\\);").Groups[1].Value;
        var header = string.Concat(Regex.Matches(call, "\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        Assert.That(header, Does.EndWith("\\n"), "one line");
        Assert.That(header[..^2].Split(','), Is.EqualTo(ShimCounts.Columns));
        Assert.That(Sw26010Primitives.All.SelectMany(d => d.Counts).Distinct(), Is.SubsetOf(ActivityColumns.All));
    }

    [Test]
    public void The_activity_columns_are_exactly_the_counts_of_CpeActivity()
    {
        // The SIMD instructions the time model charges (Simd*) travel in the shim's own SIMD columns (ShimSimdCounts).
        var properties = typeof(CpeActivity).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(long)).Select(p => p.Name).ToList();
        Assert.That(ActivityColumns.All.Select(c => c.Field), Is.EquivalentTo(properties.Where(p => !p.StartsWith("Simd", StringComparison.Ordinal))));
        Assert.That(properties.Count(p => p.StartsWith("Simd", StringComparison.Ordinal)), Is.EqualTo(ShimSimdCounts.Columns.Count - 1), "every SIMD column but the conversions");
        var activity = CpeActivity.None;
        for (var i = 0; i < ActivityColumns.All.Count; i++)
        {
            activity = ActivityColumns.All[i].With(activity, i + 1);
        }

        Assert.That(ActivityColumns.All.Select(c => c.Get(activity)), Is.EqualTo(Enumerable.Range(1, ActivityColumns.All.Count).Select(i => (long)i)));
    }

    [TestCase(ElementType.Float64, 256)]
    [TestCase(ElementType.Float32, 13)]
    public void A_fill_spends_and_counts_what_its_description_says(ElementType type, int count)
    {
        var report = Group().Run(On(0, 0, cpe => cpe.Fill(cpe.Ldm.Allocate("t", type, count).All, 1.5)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Profile.Cpes[0].ComputeCycles, Is.EqualTo(FillPrimitive.Cycles(Timing, 4, count)));
            Assert.That(report.Cpes[0].FillElements, Is.EqualTo(count));
        }
    }

    [Test]
    public void The_fill_s_cycles_are_a_loop_setup_and_a_store_per_vector() =>
        Assert.That(FillPrimitive.Cycles(Timing, 4, 13), Is.EqualTo(Timing.LoopSetupCycles + (4 * Timing.FillCyclesPerVector)));

    [Test]
    public void A_convert_and_a_copy_spend_what_their_descriptions_say()
    {
        var report = Group().Run(On(0, 0, cpe =>
        {
            var d = cpe.Ldm.Allocate("d", ElementType.Float64, 24);
            var f = cpe.Ldm.Allocate("f", ElementType.Float32, 24);
            var g = cpe.Ldm.Allocate("g", ElementType.Float64, 12);
            cpe.Convert(d.All, f.All);
            cpe.Copy(d.All, g.All, 3, 3);
        }));
        Assert.That(report.Profile.Cpes[0].ComputeCycles, Is.EqualTo(ConvertPrimitive.Cycles(Timing, 24) + CopyPrimitive.Cycles(Timing, 4, 4, 3)));
    }

    [TestCase(ElementType.Float64)]
    [TestCase(ElementType.Float32)]
    public void A_mesh_GEMM_spends_and_counts_what_its_description_says(ElementType type)
    {
        const int M = 128, N = 32, K = 16;
        var report = Group().Run(async cpe =>
        {
            var a = cpe.Ldm.Allocate("a", type, M / 8 * (K / 8));
            var b = cpe.Ldm.Allocate("b", type, K / 8 * (N / 8));
            var c = cpe.Ldm.Allocate("c", type, M / 8 * (N / 8));
            await cpe.MeshGemm(M, N, K, a.All, b.All, c.All);
        });
        var tally = MeshGemmPrimitive.Tally(M, N, K);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Profile.Cpes.Select(c => c.ComputeCycles + c.RlcWaitCycles), Has.All.EqualTo(MeshGemmPrimitive.Cycles(Timing, M, N, K, type)));
            Assert.That(report.Cpes.Select(c => (c.MeshGemmCalls, c.Flops, c.RlcPuts, c.RlcGets)), Has.All.EqualTo((1L, tally.Flops, tally.RlcPuts, tally.RlcGets)));
        }
    }

    [Test]
    public void The_DMA_service_time_is_a_request_a_time_per_block_and_a_time_per_byte()
    {
        var model = Timing.Dma;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DmaPrimitive.ServiceNanoseconds(model, isGet: true, 4, 1024),
                Is.EqualTo(model.RequestNanoseconds + (4 * model.GetBlockNanoseconds) + (1024 * model.GetNanosecondsPerByte)));
            Assert.That(DmaPrimitive.ServiceNanoseconds(model, isGet: false, 4, 1024),
                Is.EqualTo(model.RequestNanoseconds + (4 * model.PutBlockNanoseconds) + (1024 * model.PutNanosecondsPerByte)));
        }
    }
}
