using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;
using Swatop.Tests.Emit;

namespace Swatop.Tests.Algorithms;

/// <summary>
/// The column block in LDM with its decisions taken together: tiles of several images with every tap block's weights
/// kept in LDM, puts spread over the next tile's tap blocks and taps copied; each kernel against the reference on the
/// emulator and through the emitted C on the shim, copied taps among them where a channel's rows come in one get.
/// </summary>
public sealed class Im2colLdmCombinedTests
{
    private static IEnumerable<TestCaseData> Kernels()
    {
        yield return new TestCaseData(Operator.Conv2d(4, 16, 40, 10, 10, 3, padding: 1),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 64, InBlock = 48, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, CopyTaps = true, ImagesPerTile = 2, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A double stride-1 layer, two images a tile, resident weights, spread puts and copied taps");
        yield return new TestCaseData(Operator.Conv2d(8, 16, 32, 12, 12, 3, stride: 2, padding: 1, elementType: ElementType.Float32),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, OverlapPuts = true, SpreadPuts = true, ResidentWeights = true, ImagesPerTile = 4, CoreGroups = 2, SplitAxis = "n" })
            .SetName("A float stride-2 layer, four images a tile, a channel's rows a get, resident weights and spread puts");
        yield return new TestCaseData(Operator.Conv2d(4, 16, 32, 12, 12, 3),
                new Im2colLdmSchedule { RowsPerCpe = 2, OutBlock = 32, InBlock = 48, OverlapPuts = true, CopyTaps = true, ImagesPerTile = 4 })
            .SetName("An unpadded stride-1 layer, a pair's rows in one strided get, taps copied, four images a tile");
    }

    [TestCaseSource(nameof(Kernels))]
    public void A_column_block_kernel_with_its_decisions_together_matches_the_reference_on_the_emulator_and_through_the_emitted_c(OperatorSpec spec, Im2colLdmSchedule schedule)
    {
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 13, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void Copied_taps_read_a_channel_s_rows_where_they_come_in_one_get()
    {
        var spec = Operator.Conv2d(2, 16, 32, 12, 12, 3);
        var schedule = new Im2colLdmSchedule { RowsPerCpe = 1, OutBlock = 32, InBlock = 48, CopyTaps = true };
        Assert.That(((Im2colLdmPlan)Im2colAlgorithm.Instance.Plan(spec, schedule, Sw26010Target.Default.Limits)).ChannelRowGets, Is.True);
        var check = EmittedC.CheckAgainstEmulator(spec, schedule, seed: 13, GccShimOptions.Default);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }
}
