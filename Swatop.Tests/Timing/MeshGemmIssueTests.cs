using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Tests.Timing;

/// <summary>
/// The time model's account of a mesh GEMM call: per CPE, the register blocks' accumulators once a SUMMA
/// step, 16 vector FMAs and the owners' 8 operands a k step broadcast to 7 receivers, C converted once
/// each way for float; and the cycles the emitted C's loop may add to it.
/// </summary>
public sealed class MeshGemmIssueTests
{
    [Test]
    public void A_call_issues_the_accumulators_once_a_step_and_each_operand_once_by_its_owner()
    {
        // 256 x 256 x 256: per CPE blocks of 32 x 32 x 32, 2 x 8 register blocks, 8 steps, 32 k each.
        var issue = MeshGemmIssue.For(256, 256, 256, ElementType.Float64);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((issue.BlockSteps, issue.KSteps, issue.ConvertedElements), Is.EqualTo((8L * 16, 8L * 16 * 32, 0L)));
            Assert.That(issue.Fmas, Is.EqualTo(16L * 8 * 16 * 32), "2 M N K / 64 flops a CPE, 8 a vector FMA");
            Assert.That(issue.Fmas * 4 * 2, Is.EqualTo(2L * 256 * 256 * 256 / 64));
            Assert.That(issue.Loads, Is.EqualTo((16L * 8 * 16) + (8L * 16 * 32)), "16 accumulators a block step; 8 operands a k step in the 2 of 8 steps the CPE owns");
            Assert.That(issue.Stores, Is.EqualTo(16L * 8 * 16));
            Assert.That((issue.Broadcasts, issue.Receives), Is.EqualTo((8L * 16 * 32, 7L * 8 * 16 * 32)));
        }
    }

    [Test]
    public void A_float_call_converts_its_C_block_once_each_way_and_A_and_B_in_registers()
    {
        var single = MeshGemmIssue.For(256, 256, 256, ElementType.Float32);
        var wide = MeshGemmIssue.For(256, 256, 256, ElementType.Float64);
        Assert.That(single.ConvertedElements, Is.EqualTo(2L * 32 * 32));
        Assert.That((single.Loads - wide.Loads, single.Stores - wide.Stores), Is.EqualTo((2L * 32 * 32 / 4, 2L * 32 * 32 / 4)), "a load and a store per vector of 4");
        Assert.That(MeshGemmPrimitive.Cycles(Sw26010Timing.Default, 256, 256, 256, ElementType.Float32) - MeshGemmPrimitive.Cycles(Sw26010Timing.Default, 256, 256, 256, ElementType.Float64),
            Is.EqualTo(Sw26010Timing.Default.ConvertCyclesPerElement * single.ConvertedElements));
    }

    [Test]
    public void The_loops_integer_instructions_weigh_most_where_the_k_steps_dominate()
    {
        var timing = Sw26010Timing.Default;
        var small = MeshGemmIssue.For(128, 32, 8, ElementType.Float64);
        var large = MeshGemmIssue.For(512, 256, 256, ElementType.Float64);
        var smallSlowdown = small.LoopSlowdown(MeshGemmPrimitive.Cycles(timing, 128, 32, 8, ElementType.Float64));
        var largeSlowdown = large.LoopSlowdown(MeshGemmPrimitive.Cycles(timing, 512, 256, 256, ElementType.Float64));
        Assert.That(smallSlowdown, Is.EqualTo(7.0 * 8 / 1684).Within(1e-12), "one block, one k a step, run alone: 7 integer instructions a step against 1684 modelled cycles");
        Assert.That(large.LoopIntegerInstructions, Is.EqualTo(large.BlockSteps * (32 / 4) * 10), "K/8 = 32: eight unrolled passes of 4 steps, 10 each");
        Assert.That(largeSlowdown, Is.GreaterThan(smallSlowdown).And.LessThan(10.0 / 4 / 16));
        Assert.That(small.LoopSlowdown(0), Is.Zero);
    }
}
