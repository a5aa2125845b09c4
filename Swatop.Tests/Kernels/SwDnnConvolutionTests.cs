using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Kernels;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Kernels;

/// <summary>The swDNN convolution on the emulator: bit-exact against its reference, on one and four core groups, in one band and in several.</summary>
public sealed class SwDnnConvolutionTests
{
    // LDM planning budgets that make B = 128, Ni = No = 32, K = 3 keep 3 and 1 output columns:
    // floor((budget * 64 / 8 - 14336) / 4096) - 2 = 3 (or 1).
    private const int BudgetForCoStride3 = 4352;
    private const int BudgetForCoStride1 = 3328;

    private static (double[] Input, double[] Weights) RandomTensors(SwDnnShape shape, int seed) =>
        (RandomDoubles(seed, (int)shape.InputLength), RandomDoubles(seed + 1, (int)shape.WeightLength));

    private static SwDnnConvolutionRun RunOnEmulator(SwDnnConvolution kernel, double[] input, double[] weights, EmulatorOptions? options = null, int spawns = 1)
    {
        var chip = new Sw26010Chip(kernel.Spec with { CoreGroups = kernel.CoreGroups }, options ?? EmulatorOptions.Default);
        return kernel.Run(chip, input, weights, spawns);
    }

    [TestCase(1, 128, 32, 32, 6, 6, 3)]
    [TestCase(4, 128, 64, 32, 6, 6, 3)]
    [TestCase(4, 128, 32, 64, 6, 7, 3)]
    [TestCase(1, 128, 32, 64, 5, 5, 1)]
    [TestCase(1, 128, 64, 32, 5, 5, 2)]
    [TestCase(4, 128, 64, 64, 5, 5, 2)]
    public void MatchesTheReferenceBitForBit(int groups, int batch, int inChannels, int outChannels, int height, int width, int kernelSize)
    {
        var shape = new SwDnnShape(batch, inChannels, outChannels, height, width, kernelSize);
        var kernel = new SwDnnConvolution(shape, groups);
        var (input, weights) = RandomTensors(shape, 7);
        var run = RunOnEmulator(kernel, input, weights);
        var expected = SwDnnReferenceConvolution.Convolve(shape, input, weights);
        Assert.That(Bits(run.Output.Span), Is.EqualTo(Bits(expected)));
        Assert.That(kernel.Bands, Is.EqualTo(1), "the real budget keeps every output column of these small shapes");
    }

    [TestCase(BudgetForCoStride3, 3, 2)]
    [TestCase(BudgetForCoStride1, 1, 4)]
    public void SeveralBandsMatchTheReferenceBitForBit(int planningBytes, int coStride, int bands)
    {
        var shape = new SwDnnShape(128, 32, 32, 6, 6, 3);
        var spec = Sw26010Spec.Default with { LdmPlanningBytes = planningBytes };
        var (input, weights) = RandomTensors(shape, 11);
        var expected = Bits(SwDnnReferenceConvolution.Convolve(shape, input, weights));
        foreach (var groups in new[] { 1, 4 })
        {
            var kernel = new SwDnnConvolution(shape, groups, spec);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(kernel.CoStride, Is.EqualTo(coStride));
                Assert.That(kernel.Bands, Is.EqualTo(bands));
                Assert.That(Bits(RunOnEmulator(kernel, input, weights).Output.Span), Is.EqualTo(expected), $"{groups} core groups");
            }
        }
    }

    [TestCaseSource(typeof(Swatop.Tests.Emulator.EmulatorHarness), nameof(Modes))]
    public void EveryHostModeGivesTheSameBits(EmulatorOptions options)
    {
        var shape = new SwDnnShape(128, 32, 32, 6, 6, 3);
        var kernel = new SwDnnConvolution(shape, 4, Sw26010Spec.Default with { LdmPlanningBytes = BudgetForCoStride3 });
        var (input, weights) = RandomTensors(shape, 5);
        var run = RunOnEmulator(kernel, input, weights, options);
        Assert.That(Bits(run.Output.Span), Is.EqualTo(Bits(SwDnnReferenceConvolution.Convolve(shape, input, weights))));
    }

    [Test]
    public void IssuesTheLoopNestsOperations()
    {
        // 2 bands (3 and 1 output columns), 1 output row per group, 3 kernel rows.
        var shape = new SwDnnShape(128, 32, 32, 6, 6, 3);
        var kernel = new SwDnnConvolution(shape, 4, Sw26010Spec.Default with { LdmPlanningBytes = BudgetForCoStride3 });
        var (input, weights) = RandomTensors(shape, 3);
        var run = RunOnEmulator(kernel, input, weights);
        int rows = kernel.RowsPerCoreGroup, k = shape.Kernel, co = shape.OutWidth;
        var kernelRowSteps = kernel.Bands * rows * k;
        var inputGets = rows * k * ((3 + k - 1) + (1 + k - 1));
        var cpe = run.Report.CoreGroups[2].Cpes[37];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cpe.MeshGemmCalls, Is.EqualTo(rows * co * k * k), "one mesh GEMM per output pixel and filter tap");
            Assert.That(cpe.DmaGets, Is.EqualTo(inputGets + (k * kernelRowSteps)), "every input column of every kernel row, and K weight gets per kernel row");
            Assert.That(cpe.DmaPuts, Is.EqualTo(rows * co), "one put per output column");
            Assert.That(cpe.DmaWaits, Is.EqualTo(inputGets + kernelRowSteps + (rows * co)), "each input get, each kernel row's weights and each put waited once");
            Assert.That(cpe.DmaBlocks, Is.EqualTo((inputGets * 4) + (k * kernelRowSteps * 4) + (rows * co * 4)), "Ni/8, No/8 and No/8 blocks per get and put");
            Assert.That(cpe.FillElements, Is.EqualTo(rows * co * 16 * 4), "the output blocks zeroed once per output row and band");
            Assert.That(run.Total.Flops, Is.EqualTo(shape.Flops));
        }
    }

    [Test]
    public void SpawnsRepeatTheWholeConvolution()
    {
        var shape = new SwDnnShape(128, 32, 32, 5, 5, 2);
        var kernel = new SwDnnConvolution(shape, 4);
        var (input, weights) = RandomTensors(shape, 9);
        var run = RunOnEmulator(kernel, input, weights, spawns: 3);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Profile.CoreGroups.Select(g => g.Spawns), Is.All.EqualTo(3));
            Assert.That(run.Total.Flops, Is.EqualTo(shape.Flops));
            Assert.That(run.Profile.Flops, Is.EqualTo(3 * shape.Flops));
            Assert.That(Bits(run.Output.Span), Is.EqualTo(Bits(SwDnnReferenceConvolution.Convolve(shape, input, weights))));
        }
    }

    [Test]
    public void TheReferenceIsTheConvolution()
    {
        // An independent, plainly summed convolution with its own index arithmetic agrees to rounding.
        var shape = new SwDnnShape(4, 3, 2, 5, 4, 2);
        var (input, weights) = RandomTensors(shape, 13);
        var actual = SwDnnReferenceConvolution.Convolve(shape, input, weights);
        int b = 4, ni = 3, no = 2, ci = 4, k = 2, ro = 4, co = 3;
        for (var y = 0; y < ro; y++)
        {
            for (var x = 0; x < co; x++)
            {
                for (var o = 0; o < no; o++)
                {
                    for (var n = 0; n < b; n++)
                    {
                        var sum = 0.0;
                        for (var i = 0; i < ni; i++)
                        {
                            for (var dy = 0; dy < k; dy++)
                            {
                                for (var dx = 0; dx < k; dx++)
                                {
                                    sum += input[((((y + dy) * ci) + x + dx) * ni * b) + (i * b) + n] * weights[(((dy * k) + dx) * no * ni) + (o * ni) + i];
                                }
                            }
                        }

                        Assert.That(actual[(((y * co) + x) * no * b) + (o * b) + n], Is.EqualTo(sum).Within(1e-12));
                    }
                }
            }
        }
    }
}
