using System.Diagnostics;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.LargeTensors;

/// <summary>
/// Tensors past the 2 GB of one host byte array, as large as VGG-16's first layers at batch 128: the emulator holds a
/// core group's memory as 8-byte words and addresses it with 64-bit offsets. A run takes minutes and about 5 GB of
/// memory, so the tests are explicit, in the category <see cref="Category"/>:
/// <c>dotnet test Swatop.sln -c Release --filter TestCategory=LargeTensors</c>.
/// </summary>
[Explicit("minutes and about 5 GB of memory; run with --filter TestCategory=LargeTensors")]
[Category(Category)]
public sealed class LargeTensorTests
{
    /// <summary>The category of these tests.</summary>
    public const string Category = "LargeTensors";

    [Test]
    public void A_GEMM_whose_output_exceeds_2_GB_matches_the_reference_in_at_most_two_and_a_half_times_its_bytes()
    {
        var gemm = Operator.Gemm(16_512, 16_512, 8, elementType: ElementType.Float64);
        var outputBytes = gemm.Expression.Output.Tensor.ElementLength * sizeof(double);
        Assert.That(outputBytes, Is.GreaterThan(2L << 30), "past 2 GiB");
        var schedule = ImplicitGemmSpace.For(gemm, Sw26010Target.Default.Limits).Default();

        var check = OperatorCheck.Run(gemm, schedule, Sw26010Target.Default, seed: 5);

        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
        Assert.That(Process.GetCurrentProcess().PeakWorkingSet64, Is.LessThan(2.5 * outputBytes),
            "the output is held twice at most (the framework's buffer, which the run returns as it is, and the core groups' shares of it); the reference is compared block by block");
    }
}
