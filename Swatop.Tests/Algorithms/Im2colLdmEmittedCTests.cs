using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// Explicit im2col kernels with the column block in LDM emitted as athread C, built with gcc against the shim and run:
/// each matches the reference, and the emulator's output bit for bit and its per-CPE counts count for count.
/// </summary>
public sealed class Im2colLdmEmittedCTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 3, 16, 17, 17, 7, stride: 2, padding: 3), new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 152 })
            .SetName("A double conv1-like convolution: 3 channels, 7 x 7, stride 2, at batch 2");
        yield return new TestCaseData(Operator.Conv2d(3, 4, 40, 12, 11, 3, padding: 2, dilation: 2, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 16, OverlapPuts = true, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A float dilated convolution in tap and output blocks on two core groups, puts overlapped");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_column_block_in_ldm_kernel_built_against_the_shim_matches_the_reference_and_the_emulator(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 5, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
        var slave = EmittedC.Kernel(spec, schedule).Sources.Files.Single(f => f.Key == "slave.c").Value;
        Assert.That(slave, Does.Not.Contain("pack_input"), "no column step");
    }
}
