using Swatop.Core;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Tuning;

/// <summary><c>Tune()</c> without options remembers what it found for the process: the second call is a lookup and says so.</summary>
[NonParallelizable]
public sealed class TuningMemoryTests
{
    [SetUp]
    [TearDown]
    public void Forget() => TuningMemory.Process.Clear();

    [Test]
    public void A_second_Tune_without_options_recalls_the_first_and_measures_nothing()
    {
        var gemm = Operator.Gemm(48, 40, 24, elementType: ElementType.Float32);
        var first = gemm.Tune();
        Assert.That(first.Strategy, Is.Not.EqualTo(OperatorTuning.MemoryStrategy));
        Assert.That(first.CandidatesMeasured, Is.GreaterThan(0));
        Assert.That(TuningMemory.Process.Count, Is.EqualTo(1));

        var second = Operator.Gemm(48, 40, 24, elementType: ElementType.Float32).Tune();
        Assert.That(second.Strategy, Is.EqualTo(OperatorTuning.MemoryStrategy), "the result says it was recalled");
        Assert.That(second.CandidatesMeasured, Is.Zero);
        Assert.That(second.CandidatesRanked, Is.Zero);
        Assert.That(second.Schedule, Is.EqualTo(first.Schedule));
        Assert.That(second.MeasuredSeconds, Is.EqualTo(first.MeasuredSeconds));
        Assert.That(second.Elapsed, Is.LessThan(first.Elapsed));
    }

    [Test]
    public void Another_operator_or_target_or_explicit_options_search_again()
    {
        var gemm = Operator.Gemm(48, 40, 24, elementType: ElementType.Float32);
        _ = gemm.Tune();
        Assert.That(Operator.Gemm(48, 40, 16, elementType: ElementType.Float32).Tune().Strategy, Is.Not.EqualTo(OperatorTuning.MemoryStrategy));
        Assert.That(gemm.Tune(Sw26010Target.Default, new TuningOptions()).CandidatesMeasured, Is.GreaterThan(0), "options without a memory: no recall");
        Assert.That(gemm.Tune(Sw26010Target.Default, new TuningOptions { Memory = TuningMemory.Process, Fresh = true }).CandidatesMeasured, Is.GreaterThan(0), "fresh: no recall");
        Assert.That(gemm.Tune(Sw26010Target.Default, new TuningOptions { Memory = TuningMemory.Process }).Strategy, Is.EqualTo(OperatorTuning.MemoryStrategy));
        Assert.That(gemm.Tune(Sw26010Target.Default, new TuningOptions { Memory = TuningMemory.Process, Objective = TuningObjective.Kernel }).Strategy,
            Is.Not.EqualTo(OperatorTuning.MemoryStrategy), "kept by objective");
    }

    [Test]
    public void A_memory_of_its_own_is_separate_from_the_process_one()
    {
        var memory = new TuningMemory();
        var gemm = Operator.Gemm(48, 40, 24, elementType: ElementType.Float32);
        var options = new TuningOptions { Memory = memory };
        _ = gemm.Tune(Sw26010Target.Default, options);
        Assert.That(memory.Count, Is.EqualTo(1));
        Assert.That(TuningMemory.Process.Count, Is.Zero);
        Assert.That(memory.Recall(gemm, Sw26010Target.Default), Is.Not.Null);
        Assert.That(gemm.Tune(Sw26010Target.Default, options).Strategy, Is.EqualTo(OperatorTuning.MemoryStrategy));
        memory.Clear();
        Assert.That(memory.Recall(gemm, Sw26010Target.Default), Is.Null);
    }
}
