using System.Globalization;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Kernels;

namespace Swatop.Tests.Kernels;

/// <summary>The swDNN convolution's plan (CoStride, LDM) against the measured runs, and its shape rules.</summary>
public sealed class SwDnnConvolutionRuleTests
{
    private static ShapeTable Measured() => ShapeCsvReader.ReadFile(RepositoryFiles.PathOf("data/swdnn-conv-calibration.csv"));

    private static int Integer(ShapeTable table, ShapeRow row, string column) => int.Parse(table.Field(row, column), CultureInfo.InvariantCulture);

    [Test]
    public void CoStrideMatchesTheMeasuredRunsOnEveryRow()
    {
        var table = Measured();
        Assert.That(table.Rows, Has.Count.EqualTo(64));
        using (Assert.EnterMultipleScope())
        {
            foreach (var row in table.Rows)
            {
                var kernel = new SwDnnConvolution(row.Shape, 4);
                var expected = Integer(table, row, "co_stride");
                Assert.That(kernel.LdmCoStride, Is.EqualTo(expected), $"line {row.LineNumber}: {row.Shape}");
                Assert.That(kernel.CoStride, Is.EqualTo(Math.Min(expected, row.Shape.OutWidth)), $"line {row.LineNumber}: capped at Co");
                Assert.That(kernel.LdmBytesPerCpe, Is.LessThanOrEqualTo(Sw26010Spec.Default.LdmPlanningBytes), $"line {row.LineNumber}: inside the 55 KB plan");
                Assert.That(row.Shape.OutHeight, Is.EqualTo(Integer(table, row, "out_height")), $"line {row.LineNumber}");
                Assert.That(row.Shape.OutWidth, Is.EqualTo(Integer(table, row, "out_width")), $"line {row.LineNumber}");
            }
        }
    }

    [Test]
    public void TheMeasuredLdmBytesCountCoStridePlusKMinus1OutputBlocks()
    {
        // The file's ldm_bytes_per_cpe is the budget the CoStride formula fills before it subtracts
        // K - 1: two input blocks, two kernel rows of weights and CoStride + K - 1 output blocks.
        // The kernel itself keeps only CoStride output blocks (capped at Co), so it allocates no more.
        var table = Measured();
        using (Assert.EnterMultipleScope())
        {
            foreach (var row in table.Rows)
            {
                var s = row.Shape;
                var kernel = new SwDnnConvolution(s, 4);
                long b = s.Batch, ni = s.InChannels, no = s.OutChannels, k = s.Kernel;
                var budgetBytes = ((2 * ni * b) + (2 * ni * no * k) + (no * b * (kernel.LdmCoStride + k - 1))) * sizeof(double) / 64;
                Assert.That(budgetBytes, Is.EqualTo(Integer(table, row, "ldm_bytes_per_cpe")), $"line {row.LineNumber}");
                Assert.That(kernel.LdmBytesPerCpe, Is.LessThanOrEqualTo(budgetBytes), $"line {row.LineNumber}");
            }
        }
    }

    [TestCase(64, 32, 32, 6, 3, 1, "batch", "batch = 64 must be a multiple of 128")]
    [TestCase(200, 32, 32, 6, 3, 1, "batch", "batch = 200 must be a multiple of 128")]
    [TestCase(128, 12, 32, 6, 3, 1, "inChannels", "inChannels = 12 must be a multiple of 8")]
    [TestCase(128, 32, 48, 6, 3, 1, "outChannels", "outChannels = 48 must be a multiple of 32")]
    [TestCase(128, 32, 32, 7, 3, 4, "coreGroups", "Ro = inHeight - kernel + 1 = 5 must divide evenly among coreGroups = 4")]
    [TestCase(128, 32, 32, 6, 3, 5, "coreGroups", "coreGroups = 5 must be between 1 and the chip's 4 core groups")]
    [TestCase(128, 32, 32, 6, 3, 0, "coreGroups", "coreGroups = 0 must be between 1")]
    [TestCase(128, 384, 160, 18, 3, 4, "shape", "does not fit the LDM: CoStride = ")]
    [TestCase(128, 384, 128, 20, 5, 4, "shape", "the shape is not supported")]
    public void ShapesBreakingARuleAreRefusedByName(int batch, int inChannels, int outChannels, int size, int kernelSize, int groups, string parameter, string rule)
    {
        var shape = new SwDnnShape(batch, inChannels, outChannels, size, size, kernelSize);
        var error = Assert.Throws<ArgumentException>(() => _ = new SwDnnConvolution(shape, groups))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.ParamName, Is.EqualTo(parameter));
            Assert.That(error.Message, Does.Contain(rule));
        }
    }

    [Test]
    public void ACoStrideBelowOneNamesTheValue()
    {
        // 2 Ni B + 2 Ni No K = 98304 + 368640 exceeds the 450560-double budget: floor(-16384 / 20480) - 2 = -3.
        var shape = new SwDnnShape(128, 384, 160, 18, 18, 3);
        Assert.That(SwDnnConvolution.BudgetCoStride(shape, Sw26010Spec.Default), Is.EqualTo(-3));
        var error = Assert.Throws<ArgumentException>(() => _ = new SwDnnConvolution(shape))!;
        Assert.That(error.Message, Does.Contain("= -3, but the kernel needs at least 1 output column in LDM"));
    }

    [TestCase(0, 32, 32, 6, 6, 3, "batch")]
    [TestCase(128, -8, 32, 6, 6, 3, "inChannels")]
    [TestCase(128, 32, 0, 6, 6, 3, "outChannels")]
    [TestCase(128, 32, 32, 0, 6, 3, "inHeight")]
    [TestCase(128, 32, 32, 6, -1, 3, "inWidth")]
    [TestCase(128, 32, 32, 6, 6, 0, "kernel")]
    [TestCase(128, 32, 32, 6, 2, 3, "kernel")]
    public void BadShapesAreRefusedByName(int batch, int inChannels, int outChannels, int height, int width, int kernelSize, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SwDnnShape(batch, inChannels, outChannels, height, width, kernelSize))!;
        Assert.That(error.ParamName, Is.EqualTo(parameter));
        Assert.That(error.Message, Does.Contain(parameter + " = "));
    }

    [Test]
    public void RunChecksTheTensorsAndTheSpawnCount()
    {
        var shape = new SwDnnShape(128, 32, 32, 5, 5, 2);
        var kernel = new SwDnnConvolution(shape, 1);
        var chip = new Sw26010Chip(Sw26010Spec.Default with { CoreGroups = 1 }, Hardware.Sw26010.Emulation.EmulatorOptions.Sequential);
        var input = new double[shape.InputLength];
        var weights = new double[shape.WeightLength];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<ArgumentException>(() => kernel.Run(chip, input.AsMemory(1), weights))!.ParamName, Is.EqualTo("input"));
            Assert.That(Assert.Throws<ArgumentException>(() => kernel.Run(chip, input, new double[3]))!.Message, Does.Contain("weights has 3 elements; the shape needs K K No Ni = 4096"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Run(chip, input, weights, spawns: 0))!.ParamName, Is.EqualTo("spawns"));
            Assert.That(Assert.Throws<ArgumentException>(() => new SwDnnConvolution(shape, 4).Run(chip, input, weights))!.ParamName, Is.EqualTo("chip"));
        }
    }
}
