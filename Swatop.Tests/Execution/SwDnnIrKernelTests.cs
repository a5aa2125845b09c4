using System.Diagnostics;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Hardware.Sw26010.Kernels;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>
/// The swDNN convolution's loop nest written as IR and run by the executor against the hand-written
/// kernel on the same inputs: the same output bits, the same cycles, the same activity on every CPE.
/// </summary>
public sealed class SwDnnIrKernelTests
{
    // LDM planning budgets that make B = 128, Ni = No = 32, K = 3 keep 3 and 1 output columns (2 and 4 bands).
    private const int BudgetForCoStride3 = 4352;
    private const int BudgetForCoStride1 = 3328;

    /// <summary>Runs the IR kernel on each core group of <paramref name="chip"/> as SwDnnConvolution.Run places the data.</summary>
    private static (double[] Output, ChipRunReport Report) RunIr(SwDnnConvolution convolution, CompiledKernel kernel, Sw26010Chip chip, double[] input, double[] weights)
    {
        var shape = convolution.Shape;
        int inputRow = shape.InWidth * shape.InChannels * shape.Batch, outputRow = shape.OutWidth * shape.OutChannels * shape.Batch;
        var tensors = chip.CoreGroups.Take(convolution.CoreGroups).Select(group =>
        {
            var first = group.Index * convolution.RowsPerCoreGroup;
            var bound = new Dictionary<string, GlobalBuffer>
            {
                ["input"] = group.Memory.Allocate<double>("ir input", convolution.InputRowsPerCoreGroup * inputRow),
                ["weights"] = group.Memory.Allocate<double>("ir weights", (int)shape.WeightLength),
                ["output"] = group.Memory.Allocate<double>("ir output", convolution.RowsPerCoreGroup * outputRow),
            };
            input.AsSpan(first * inputRow, convolution.InputRowsPerCoreGroup * inputRow).CopyTo(bound["input"].AsSpan<double>());
            weights.CopyTo(bound["weights"].AsSpan<double>());
            bound["output"].AsSpan<double>().Clear();
            return bound;
        }).ToList();
        var report = chip.Run(group => kernel.Program(tensors[group.Index]), convolution.CoreGroups);
        var output = new double[shape.OutputLength];
        for (var g = 0; g < convolution.CoreGroups; g++)
        {
            tensors[g]["output"].AsSpan<double>().CopyTo(output.AsSpan(g * convolution.RowsPerCoreGroup * outputRow));
        }

        return (output, report);
    }

    private static Sw26010Chip ChipFor(SwDnnConvolution convolution, EmulatorOptions? options = null) =>
        new(convolution.Spec with { CoreGroups = convolution.CoreGroups }, options ?? EmulatorOptions.Sequential);

    [TestCase(1, 128, 8, 32, 6, 6, 3, 0)]
    [TestCase(1, 128, 32, 32, 6, 6, 3, BudgetForCoStride3)]
    [TestCase(1, 128, 32, 32, 6, 6, 3, BudgetForCoStride1)]
    [TestCase(1, 128, 32, 64, 5, 5, 1, 0)]
    [TestCase(4, 128, 32, 32, 6, 6, 3, BudgetForCoStride3)]
    [TestCase(4, 128, 64, 32, 5, 5, 2, 0)]
    public void TheIrLoopNestMatchesTheHandWrittenKernelInBitsAndCycles(int groups, int batch, int inChannels, int outChannels, int height, int width, int kernelSize, int planningBytes)
    {
        var shape = new SwDnnShape(batch, inChannels, outChannels, height, width, kernelSize);
        var spec = planningBytes == 0 ? Sw26010Spec.Default : Sw26010Spec.Default with { LdmPlanningBytes = planningBytes };
        var convolution = new SwDnnConvolution(shape, groups, spec);
        double[] input = RandomDoubles(21, (int)shape.InputLength), weights = RandomDoubles(22, (int)shape.WeightLength);

        var handWritten = convolution.Run(ChipFor(convolution), input, weights);
        var (output, report) = RunIr(convolution, CompiledKernel.Compile(SwDnnIrKernel.Build(convolution)), ChipFor(convolution), input, weights);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(output), Is.EqualTo(Bits(handWritten.Output.Span)));
            Assert.That(Bits(output), Is.EqualTo(Bits(SwDnnReferenceConvolution.Convolve(shape, input, weights))));
            Assert.That(report.Profile.ElapsedCycles, Is.EqualTo(handWritten.Profile.ElapsedCycles));
            for (var g = 0; g < groups; g++)
            {
                Assert.That(report.CoreGroups[g].Profile.KernelCycles, Is.EqualTo(handWritten.Report.CoreGroups[g].Profile.KernelCycles), $"CG {g}");
                Assert.That(report.CoreGroups[g].Profile.Cpes, Is.EqualTo(handWritten.Report.CoreGroups[g].Profile.Cpes), $"CG {g}: every CPE's compute, wait and idle cycles");
                Assert.That(report.CoreGroups[g].Cpes, Is.EqualTo(handWritten.Report.CoreGroups[g].Cpes), $"CG {g}: every CPE's operations");
            }
        }
    }

    [Test]
    public void TimingOnlyRunsOfBothKernelsTakeTheSameCycles()
    {
        var shape = new SwDnnShape(128, 32, 32, 6, 6, 3);
        var convolution = new SwDnnConvolution(shape, 1, Sw26010Spec.Default with { LdmPlanningBytes = BudgetForCoStride3 });
        var timingOnly = EmulatorOptions.Sequential with { TimingOnly = true };
        var handWritten = convolution.Measure(ChipFor(convolution, timingOnly));
        var empty = new double[shape.InputLength];
        var (_, report) = RunIr(convolution, CompiledKernel.Compile(SwDnnIrKernel.Build(convolution)), ChipFor(convolution, timingOnly), empty, new double[shape.WeightLength]);
        var full = convolution.Run(ChipFor(convolution), empty, new double[shape.WeightLength]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Profile.ElapsedCycles, Is.EqualTo(handWritten.Profile.ElapsedCycles));
            Assert.That(report.Profile.ElapsedCycles, Is.EqualTo(full.Profile.ElapsedCycles));
        }
    }

    [TestCase(128, 8, 32, 6, 6, 3)]
    [TestCase(128, 32, 64, 10, 10, 3)]
    public void HostTimeOfTheIrKernelAgainstTheHandWrittenOne(int batch, int inChannels, int outChannels, int height, int width, int kernelSize)
    {
        // A measurement printed for the record, not asserted: host time of one core group's run, best of a dozen.
        var shape = new SwDnnShape(batch, inChannels, outChannels, height, width, kernelSize);
        var convolution = new SwDnnConvolution(shape, 1);
        double[] input = RandomDoubles(31, (int)shape.InputLength), weights = RandomDoubles(32, (int)shape.WeightLength);
        var compile = Stopwatch.StartNew();
        var kernel = CompiledKernel.Compile(SwDnnIrKernel.Build(convolution));
        compile.Stop();
        TestContext.Out.WriteLine($"{shape}: {shape.OutHeight * shape.OutWidth * kernelSize * kernelSize} mesh GEMM calls per CPE, {kernel.Kernel.Body.ToString().Split('\n').Length} lines of IR, compiled in {compile.Elapsed.TotalMilliseconds:F2} ms");
        foreach (var timingOnly in new[] { false, true })
        {
            var options = EmulatorOptions.Sequential with { TimingOnly = timingOnly };
            var handWritten = Best(() => convolution.Run(ChipFor(convolution, options), input, weights).Report.CoreGroups[0].HostTime);
            var viaIr = Best(() => RunIr(convolution, kernel, ChipFor(convolution, options), input, weights).Report.CoreGroups[0].HostTime);
            TestContext.Out.WriteLine($"  {(timingOnly ? "timing only" : "full run")}, sequential: hand-written {handWritten.TotalMilliseconds:F2} ms, IR executor {viaIr.TotalMilliseconds:F2} ms ({viaIr / handWritten:F2} x)");
        }

        Assert.Pass();
    }

    private static TimeSpan Best(Func<TimeSpan> run)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 12; i++)
        {
            var time = run();
            best = time < best ? time : best;
        }

        return best;
    }
}
