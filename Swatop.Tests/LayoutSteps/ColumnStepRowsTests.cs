using Swatop.Core;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Layouts;
using Swatop.Core.LayoutSteps;
using Swatop.Core.Lowering;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Tuning;
using Swatop.Primitives;

namespace Swatop.Tests.LayoutSteps;

/// <summary>
/// The column step putting several output rows a block (<see cref="ColumnStepLowering.RowsPerTask"/>): the column
/// matrix it lays out element by element against the window's definition, its time against one row a block, and the
/// cost model's price against the emulator's.
/// </summary>
public sealed class ColumnStepRowsTests
{
    private static readonly Sw26010Target Target = Sw26010Target.Default;

    private static IEnumerable<TestCaseData> Steps()
    {
        yield return new TestCaseData(Operator.Conv2d(2, 3, 16, 17, 17, 7, stride: 2, padding: 3)).SetName("A conv1-like double column step: 7 x 7, stride 2, padded rows inside a task");
        yield return new TestCaseData(Operator.Conv2d(4, 3, 16, 17, 17, 7, stride: 2, padding: 3, elementType: ElementType.Float32)).SetName("A conv1-like float column step");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 8, 12, 11, 3, padding: 1)).SetName("A stride-1 3 x 3 column step, its rows gathered by one-row transposes");
        yield return new TestCaseData(Operator.Conv2d(2, 4, 8, 12, 11, 3, padding: 2, dilation: 2, elementType: ElementType.Float32)).SetName("A dilated column step");
    }

    [TestCaseSource(nameof(Steps))]
    public void A_column_step_that_puts_several_rows_a_block_lays_out_the_column_matrix_exactly(OperatorSpec spec)
    {
        var checkedSteps = new HashSet<LayoutStep>();
        foreach (var plan in Im2colAlgorithm.Instance.Space(spec, Target.Limits, PlacementConstraints.None).EnumeratePlans().OfType<Im2colPlan>().Take(40))
        {
            var step = LayoutStep.Pack(plan.Columns, spec.ElementType);
            if (ColumnStepLowering.RowsPerTask(step, Target.Limits.LdmBudgetBytes) == 1 || !checkedSteps.Add(step))
            {
                continue;
            }

            if (spec.ElementType == ElementType.Float32)
            {
                Check<float>(step, plan.Schedule.ToString());
            }
            else
            {
                Check<double>(step, plan.Schedule.ToString());
            }

            if (checkedSteps.Count == 2)
            {
                break;
            }
        }

        Assert.That(checkedSteps, Is.Not.Empty, "some plan's column matrix keeps its rows one after the other, so a task puts several");
    }

    [Test]
    public void Several_rows_a_block_cut_the_steps_time_and_the_cost_model_follows_the_emulator()
    {
        var spec = Operator.Conv2d(4, 3, 16, 64, 64, 7, stride: 2, padding: 3);
        var plan = Im2colAlgorithm.Instance.Space(spec, Target.Limits, PlacementConstraints.None).EnumeratePlans().OfType<Im2colPlan>()
            .First(p => ColumnStepLowering.RowsPerTask(LayoutStep.Pack(p.Columns, spec.ElementType), Target.Limits.LdmBudgetBytes) > 1);
        var step = LayoutStep.Pack(plan.Columns, spec.ElementType);

        // A budget that holds one row a task and no more.
        var window = plan.Columns.Layout.Window!;
        var narrow = new Sw26010Target(Target.Spec with { LdmPlanningBytes = (int)(ColumnStepLowering.LdmElements(window) * step.ElementBytes) + 64 });
        Assert.That(ColumnStepLowering.RowsPerTask(step, narrow.Limits.LdmBudgetBytes), Is.EqualTo(1));

        var several = Target.MeasureStep(step).Seconds;
        var one = narrow.MeasureStep(step).Seconds;
        Assert.That(several, Is.LessThan(one * 0.9), $"{ColumnStepLowering.RowsPerTask(step, Target.Limits.LdmBudgetBytes)} rows a block: {several * 1e3:F4} ms; one: {one * 1e3:F4} ms");

        var ratio = new Sw26010CostModel(Target.Spec).EstimateStep(step) / several;
        var narrowRatio = new Sw26010CostModel(narrow.Spec).EstimateStep(step) / one;
        Assert.That(ratio, Is.InRange(0.8, 1.25), "the price of several rows a block against the emulator");
        Assert.That(narrowRatio, Is.InRange(0.8, 1.25), "the price of one row a block against the emulator");
    }

    [Test]
    public void Rows_per_task_divide_the_output_rows_and_keep_to_the_budget()
    {
        // ResNet-50's conv1 column matrix, as its im2col plan lays it out: [n][c * 49][112][112], plain.
        var window = new ColumnWindow(7, 7, 2, 2, 1, 1, 3, 3, 112, 112);
        var layout = new TensorLayout(new TensorDeclaration("input", [2, 3, 224, 224]), [0, 1, 2, 3], [0, 0, 0, 0], [2, 147, 112, 112], [0, 0, 0, 0]) { Window = window };
        var step = LayoutStep.Pack(new TensorPlacement(layout, Distribution.Replicated(1)), ElementType.Float64);
        var rows = ColumnStepLowering.RowsPerTask(step, Target.Limits.LdmBudgetBytes);
        Assert.That(window.OutHeight % rows, Is.Zero);
        Assert.That(ColumnStepLowering.LdmElements(window, rows) * step.ElementBytes, Is.LessThanOrEqualTo(Target.Limits.LdmBudgetBytes));
        Assert.That(rows, Is.EqualTo(4), "ResNet-50's conv1 in double: 4 of its 112 rows fit, 7 do not");
        Assert.That(ColumnStepLowering.LdmElements(window, 7) * step.ElementBytes, Is.GreaterThan(Target.Limits.LdmBudgetBytes));
        Assert.That(ColumnStepLowering.RowsPerTask(step with { ElementType = ElementType.Float32 }, Target.Limits.LdmBudgetBytes), Is.EqualTo(8), "in float, 8 rows fit");
        Assert.That(() => ColumnStepLowering.LdmElements(window, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("rowsPerTask"));
    }

    private static void Check<T>(LayoutStep step, string schedule)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var compiled = Sw26010LayoutStep.Compile(Target, step);
        var random = new Random(17);
        var values = Enumerable.Range(0, (int)step.Tensor.ElementLength).Select(_ => T.CreateChecked(random.Next(-1000, 1000) / 8.0)).ToArray();
        var chip = new Sw26010Chip();
        var source = chip.SharedMemory.Allocate<T>("source", values.Length);
        values.CopyTo(source.AsSpan<T>());
        var groups = step.CoreGroups;
        var destination = step.Destination;
        var destinations = Enumerable.Range(0, groups).Select(g => chip.CoreGroups[g].Memory.Allocate<T>("destination", destination.Elements)).ToArray();
        chip.Run(group => compiled.Program(source, destinations[group.Index]), groups);

        var window = destination.Window!;
        var shape = step.Tensor.Shape;
        var columns = window.ColumnShape(shape);
        for (var g = 0; g < groups; g++)
        {
            var expected = new T[destination.Elements];
            for (long n = 0; n < columns[0]; n++)
            {
                for (long k = 0; k < columns[1]; k++)
                {
                    for (long oh = 0; oh < columns[2]; oh++)
                    {
                        if (step.Share is SplitDistribution && step.Share.OwnerOf([n, 0, oh, 0]) != g)
                        {
                            continue;
                        }

                        for (long ow = 0; ow < columns[3]; ow++)
                        {
                            var from = window.SourceOf(shape, n, k, oh, ow);
                            expected[Offset(destination, [n, k, oh, ow])] = from < 0 ? T.Zero : values[from];
                        }
                    }
                }
            }

            Assert.That(destinations[g].AsSpan<T>().ToArray(), Is.EqualTo(expected), $"group {g}: {step} under {schedule}");
        }
    }

    /// <summary>Where column element <paramref name="index"/> lies in <paramref name="layout"/>, dimension by dimension.</summary>
    private static long Offset(TensorLayout layout, long[] index)
    {
        long offset = 0;
        for (var d = 0; d < index.Length; d++)
        {
            var position = index[d] + layout.Origins[d];
            offset += layout.IsBlocked(d)
                ? (position / layout.Blocks[d] * layout.OuterStrides[d]) + (position % layout.Blocks[d] * layout.Strides[d])
                : position * layout.Strides[d];
        }

        return offset;
    }
}
