using System.Numerics;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.LayoutSteps;

namespace Swatop.Tests.Emit;

/// <summary>
/// Layout steps in emitted C: printed by the CPE printer and built with gcc against the athread shim, they
/// move data bit for bit as the host permute does (<see cref="HostLayoutSteps"/>) for the placements of
/// random schedules, with the emulator's per-CPE counts; emitted kernels whose operands are packed,
/// padded, blocked and split over core groups by them give the reference result and the emulator's bits;
/// and the shim's counts of an emitted kernel hold its steps' DMA beside the kernel's, so the entry
/// function packs on the CPEs, not on the MPE.
/// </summary>
public sealed class EmittedLayoutStepTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Operators()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 6, 8, 9, 7, 3, stride: 2, padding: 1, elementType: ElementType.Float64), 1).SetArgDisplayNames("conv 3x3 s2 p1 double");
        yield return new TestCaseData(Operator.Conv2d(8, 12, 24, 5, 5, 1, groups: 4, elementType: ElementType.Float32), 5).SetArgDisplayNames("grouped conv float");
        yield return new TestCaseData(Operator.Gemm(70, 45, 33, transposeA: true, batch: 2, elementType: ElementType.Float32), 3).SetArgDisplayNames("batched gemm ta float");
        yield return new TestCaseData(Operator.FullyConnected(37, 90, 50), 4).SetArgDisplayNames("fc double");
    }

    [TestCaseSource(nameof(Operators))]
    public void Steps_on_the_shim_move_data_bit_for_bit_like_the_host_permute_with_the_emulators_counts(OperatorSpec spec, int seed)
    {
        var random = new Random(seed);
        var steps = new List<Sw26010LayoutStep>();
        for (var sample = 0; sample < 3; sample++)
        {
            var lowered = KernelLowering.Lower(spec, spec.Space(Target.Limits).Sample(random), Target.Limits);
            // A column matrix is no permute of the tensor: Im2colEmittedCTests check its step against the reference.
            foreach (var input in lowered.Inputs.Where(t => lowered.Placements[t.Name].Layout is { IsIdentity: false, Window: null }))
            {
                steps.Add(Sw26010LayoutStep.Compile(Target, LayoutStep.Pack(lowered.Placements[input.Name], spec.ElementType)));
            }

            if (!lowered.OutputPlacement.Layout.IsIdentity)
            {
                steps.Add(Sw26010LayoutStep.Compile(Target, LayoutStep.Unpack(lowered.OutputPlacement, spec.ElementType)));
            }
        }

        Assert.That(steps.Select(s => s.Step.Kind).Distinct().Count(), Is.EqualTo(2), "packs and unpacks");
        using var build = LayoutStepHostBuild.Build(spec.Signature, steps);
        var expected = new List<Action>();
        for (var i = 0; i < steps.Count; i++)
        {
            expected.Add(spec.ElementType == ElementType.Float32 ? Prepare<float>(build, steps[i].Step, i, random) : Prepare<double>(build, steps[i].Step, i, random));
        }

        var run = build.Run();
        foreach (var check in expected)
        {
            check();
        }

        var emulated = steps.Select(s => EmittedC.RunStep(s, spec.ElementType)).SelectMany(r => r.CoreGroups).ToList();
        build.CompareCounts(run, [.. Enumerable.Range(0, 64).Select(id => CpeActivity.Sum(emulated.Select(g => g.Cpes[id])))]);
    }

    /// <summary>
    /// A step in tiles of whole blocks (<see cref="LayoutStepTiling.WholeBlocks"/>), a pack of the framework's tensor into
    /// batch and channel blocks split by batch, printed as C and run on the shim, moves data bit for bit as the host permute
    /// does, with the emulator's per-CPE counts.
    /// </summary>
    [Test]
    public void A_step_in_tiles_of_whole_blocks_on_the_shim_moves_data_bit_for_bit_like_the_host_permute()
    {
        var x = new TensorDeclaration("x", [8, 32, 8, 6]);
        var pack = LayoutStep.Pack(new TensorPlacement(new TensorLayout(x, [2, 3, 0, 1], [0, 0, 0, 0], [8, 32, 8, 6], [4, 8, 0, 0]), new SplitDistribution(2, 0, 1, 8, 4, 1)), ElementType.Float64);
        var steps = new[] { pack }.Select(s => Sw26010LayoutStep.Compile(Target, s)).ToList();
        foreach (var step in steps)
        {
            var tiling = LayoutStepTiling.For(step.Step, Target.Limits.LdmBudgetBytes);
            Assert.That(tiling.WholeBlocks, Is.Not.Null, $"{step.Step} moves tiles of whole blocks, not {tiling}");
        }

        var random = new Random(9);
        using var build = LayoutStepHostBuild.Build("whole blocks", steps);
        var expected = steps.Select((s, i) => s.Step.ElementType == ElementType.Float32 ? Prepare<float>(build, s.Step, i, random) : Prepare<double>(build, s.Step, i, random)).ToList();
        var run = build.Run();
        foreach (var check in expected)
        {
            check();
        }

        var emulated = steps.Select(s => EmittedC.RunStep(s, s.Step.ElementType)).SelectMany(r => r.CoreGroups).ToList();
        build.CompareCounts(run, [.. Enumerable.Range(0, 64).Select(id => CpeActivity.Sum(emulated.Select(g => g.Cpes[id])))]);
    }

    /// <summary>
    /// Kernels whose operands the steps pack (permuted, zero-padded to what a window reads, cut in blocks) on
    /// one core group or on all four, the output unpacked from its split: the emitted C on the shim gives
    /// the reference result and the emulator's bits and per-CPE counts, steps included.
    /// </summary>
    [TestCase("padded", 5)]
    [TestCase("blocked", 6)]
    [TestCase("split", 7)]
    public void Emitted_kernels_whose_operands_the_steps_pack_give_the_reference_result(string placement, int seed)
    {
        var (spec, schedule) = KernelFor(placement);
        var kernel = EmittedC.Kernel(spec, schedule);
        var steps = kernel.LayoutSteps.Select(s => s.Step).ToList();
        Assert.That(steps.Any(s => s.Kind == LayoutStepKind.Pack), $"{placement}: an input is packed");
        switch (placement)
        {
            case "padded":
                Assert.That(steps.Any(s => s.Kind == LayoutStepKind.Pack && s.Destination.Origins.Any(o => o > 0)), "a pack pads the input");
                break;
            case "blocked":
                Assert.That(steps.Any(s => s.Kind == LayoutStepKind.Pack && s.Destination.Blocks.Any(b => b > 0)), "a pack cuts blocks");
                Assert.That(steps.Any(s => s.Kind == LayoutStepKind.Unpack && s.Source.Blocks.Any(b => b > 0)), "the unpack reads blocks");
                break;
            default:
                Assert.That(steps.Any(s => s.Kind == LayoutStepKind.Unpack && s.Share is SplitDistribution { CoreGroups: 4 }), "the unpack gathers four groups' shares");
                Assert.That(steps.Where(s => s.Kind == LayoutStepKind.Pack).Select(s => s.CoreGroups), Has.All.EqualTo(4), "every group packs its copy");
                break;
        }

        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void The_shims_counts_of_an_emitted_kernel_hold_its_layout_steps_DMA_beside_the_kernels()
    {
        // On a target whose MPE never wins, the steps, small as they are, run on the CPEs (on the default target the MPE takes them).
        var (spec, schedule) = KernelFor("split");
        var cpesOnly = new Sw26010Target(Hardware.Sw26010.Sw26010Spec.Default with { Timing = Hardware.Sw26010.Sw26010Spec.Default.Timing with { MpeBytesPerCycle = 1e-6 } });
        var kernel = (Sw26010Kernel)spec.WithSchedule(schedule).Emit(cpesOnly);
        var onCpes = kernel.LayoutSteps.Where(s => !s.RunsOnMpe).ToList();
        Assert.That(onCpes.Select(s => s.Step.Kind), Has.Some.EqualTo(LayoutStepKind.Pack).And.Some.EqualTo(LayoutStepKind.Unpack), "the steps run on the CPEs");
        Assert.That(EmittedC.Kernel(spec, schedule).LayoutSteps.Select(s => s.RunsOnMpe), Has.All.True, "on the default target the MPE takes these small steps");
        var check = EmittedKernelCheck.Run(kernel, seed: 8);
        var shim = CpeActivity.Sum(check.Counts.Select(c => c.Activity));
        var alone = CpeActivity.Sum(EmittedC.KernelCountsPerCpe(kernel));
        var steps = CpeActivity.Sum(EmittedC.StepCountsPerCpe(kernel));
        var bytes = spec.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        var groups = schedule.CoreGroups;
        // A replicated input is read whole by every group; a split one, a share by each, the whole by all.
        var packed = onCpes.Where(s => s.Step.Kind == LayoutStepKind.Pack)
            .Sum(s => s.Step.Tensor.ElementLength * bytes * (s.Step.Share is SplitDistribution ? 1 : groups));
        var output = spec.Expression.Output.Tensor.ElementLength * bytes;
        var host = kernel.Sources.Files[KernelFiles.Host];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(shim, Is.EqualTo(alone + steps), "the shim counted the kernel and its steps on the CPEs, nothing else");
            Assert.That(shim.DmaGetBytes - alone.DmaGetBytes, Is.GreaterThanOrEqualTo(packed), "the packs read every group's inputs (or share of them) on the CPEs");
            Assert.That(shim.DmaPutBytes - alone.DmaPutBytes, Is.GreaterThanOrEqualTo(packed + output), "the packs write the groups' copies and the unpack the framework's output");
            Assert.That(shim.TransposeElements, Is.GreaterThan(alone.TransposeElements), "a step turns its tiles in LDM");
            foreach (var step in kernel.LayoutSteps)
            {
                var spawn = $"athread_spawn(swatop_{kernel.Lowered.Kernel.Name}_{step.Kernel.Name}_cpe, ";
                Assert.That(host, step.RunsOnMpe ? Does.Contain($"{step.Kernel.Name}_mpe(").And.Not.Contain(spawn) : Does.Contain(spawn),
                    $"host.c {(step.RunsOnMpe ? "copies" : "spawns")} '{step.Step.Name}'");
            }
        }
    }

    /// <summary>A small operator and a schedule whose placements are of the kind named.</summary>
    private static (OperatorSpec Spec, ImplicitGemmSchedule Schedule) KernelFor(string placement)
    {
        switch (placement)
        {
            case "padded":
            {
                var spec = Operator.Conv2d(1, 4, 16, 5, 5, 3, padding: 1, elementType: ElementType.Float32);
                return (spec, ImplicitGemmSpace.For(spec, Target.Limits with { CoreGroups = 1 }).Default());
            }

            case "blocked":
            {
                var spec = Operator.Conv2d(16, 8, 16, 4, 4, 1);
                return (spec, ImplicitGemmSpace.For(spec, Target.Limits with { CoreGroups = 1 }).Enumerate().First(s => s.BlockedLayouts));
            }

            default:
            {
                var spec = Operator.Gemm(256, 48, 24, elementType: ElementType.Float32);
                return (spec, ImplicitGemmSpace.For(spec, Target.Limits).Enumerate().First(s => s.CoreGroups == 4 && PacksAndUnpacks(spec, s)));
            }
        }
    }

    /// <summary>Whether the kernel of <paramref name="schedule"/> keeps an input and its output in layouts of its own.</summary>
    private static bool PacksAndUnpacks(OperatorSpec spec, ImplicitGemmSchedule schedule)
    {
        var lowered = KernelLowering.Lower(spec, schedule, Target.Limits);
        return lowered.Inputs.Any(t => !lowered.Placements[t.Name].Layout.IsIdentity) && !lowered.OutputPlacement.Layout.IsIdentity;
    }

    /// <summary>Writes step <paramref name="index"/>'s inputs for the build and returns the check of its outputs against the host permute.</summary>
    private static Action Prepare<T>(GccShimBuild build, LayoutStep step, int index, Random random)
        where T : unmanaged, INumberBase<T>
    {
        var type = step.ElementType;
        if (step.Kind == LayoutStepKind.Pack)
        {
            var values = Values(step.Tensor.ElementLength, random);
            LayoutStepHostBuild.Write(build, LayoutStepHostBuild.Framework(index, written: false), type, values);
            var placement = new TensorPlacement(step.Destination, step.Share);
            var framework = values.Select(T.CreateChecked).ToArray();
            return () =>
            {
                for (var g = 0; g < step.CoreGroups; g++)
                {
                    var expected = new T[step.Destination.Elements];
                    HostLayoutSteps.Pack<T>(placement, g, framework, expected);
                    build.CompareBits($"{step} in core group {g}", Widen(expected), LayoutStepHostBuild.Read(build, LayoutStepHostBuild.Copy(index, g, written: true), type));
                }
            };
        }

        var copies = Enumerable.Range(0, step.CoreGroups).Select(_ => Values(step.Source.Elements, random)).ToList();
        for (var g = 0; g < copies.Count; g++)
        {
            LayoutStepHostBuild.Write(build, LayoutStepHostBuild.Copy(index, g, written: false), type, copies[g]);
        }

        var gathered = new T[step.Tensor.ElementLength];
        HostLayoutSteps.Unpack<T>(new TensorPlacement(step.Source, step.Share), [.. copies.Select(c => (ReadOnlyMemory<T>)c.Select(T.CreateChecked).ToArray())], gathered);
        return () => build.CompareBits(step.ToString(), Widen(gathered), LayoutStepHostBuild.Read(build, LayoutStepHostBuild.Framework(index, written: true), type));
    }

    private static double[] Values(long count, Random random) => [.. Enumerable.Range(0, (int)count).Select(_ => random.Next(-1000, 1000) / 8.0)];

    private static double[] Widen<T>(T[] values)
        where T : unmanaged, INumberBase<T> => [.. values.Select(double.CreateChecked)];
}
