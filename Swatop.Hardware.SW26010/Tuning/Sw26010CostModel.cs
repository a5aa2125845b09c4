using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>
/// The analytic cost model of the SW26010: a kernel's time estimated from its plan, without lowering
/// or running it. It reads the same published figures the emulator is built on (the mesh GEMM's cycle
/// account, the DMA cost per request, block and byte), but not the emulator: it counts what the loop
/// nest does and adds it up in closed form.
/// </summary>
/// <remarks>
/// <para>
/// For one core group (the split loop runs its share, <see cref="LoopPlan.SplitChunk"/>): the mesh GEMM
/// is called once per iteration of every loop, except that a window's band, input-column and tap loops
/// together call it once per output position and tap. Each operand's DMA group runs once per iteration
/// of the loops that enclose it after hoisting (down to the innermost loop it depends on) and moves its
/// buffer, one request per slot with a block per column of the CPE's tile; the output block is put once
/// per output tile. The 64 CPEs share the core group's memory controller, so a group of transfers costs
/// the controller 64 times a CPE's requests, blocks and bytes.
/// </para>
/// <para>
/// Double-buffered gets overlap the compute, and so do the puts of double-buffered output tiles;
/// single-buffered gets and synchronous puts do not. The
/// overlap is imperfect: the controller serves the 64 CPEs' prefetches in turn, so a prefetch issued
/// mid-compute ends the later the busier the controller, and the CPEs then wait on each other in the
/// mesh GEMM. The estimate is <c>exposed DMA + ||(compute, hidden DMA)||_3 + spawn + join</c>: the 3-norm
/// is the larger time when one dominates and 1.26 times it when they are equal. Under the plain maximum
/// every compute-bound candidate costs the same however much DMA it hides, and the emulator tells such
/// ties apart (by 14% on one calibration row: 40.9 against 46.6 ms for an estimate of 37.5 ms each).
/// The exponent was compared with 2 and the maximum on sampled schedules of four calibration
/// convolutions (figures, and the caveat of small samples, in <c>docs/performance.md</c>): its median
/// estimate came within 3% of the measured time, and the rank correlations of all three were within
/// the samples' noise of each other. The GEMM computes border
/// tiles whole; their DMA moves the valid part, counted as the share of each axis's padded extent that
/// is real, but for an operand in a blocked layout, which moves whole blocks, each one run. Left out: the DMA latency and issue cycles, the CPEs
/// contending in time rather than in volume, and the host's layout steps.
/// </para>
/// </remarks>
/// <param name="spec">The machine.</param>
public sealed class Sw26010CostModel(Sw26010Spec spec) : ICostModel
{
    private const int Cpes = 64;

    private readonly Sw26010Spec _spec = spec ?? throw new ArgumentNullException(nameof(spec));

    /// <inheritdoc/>
    public string Name => "sw26010 analytic";

    /// <inheritdoc/>
    public double Estimate(LoopPlan plan) => Account(plan).Seconds;

    /// <summary>The counts and times behind <see cref="Estimate"/>.</summary>
    public CostAccount Account(LoopPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var timing = _spec.Timing;
        var s = plan.Schedule;
        var loops = plan.Loops.ToList();

        // Mesh GEMM calls: every loop's trips, but a window calls once per output position and tap.
        var calls = loops.Where(l => l.Role is not (LoopRole.Band or LoopRole.InputColumn or LoopRole.Tap)).Aggregate(1.0, (p, l) => p * plan.TripsOf(l));
        var positions = 1.0;
        if (plan.Window is { } window)
        {
            var band = loops.First(l => l.Role == LoopRole.Band);
            positions = Math.Min(window.Output.Extent, plan.TripsOf(band) * s.Window);
            calls *= positions * window.Tap.Extent;
        }

        var gemmSeconds = calls * Primitives.MeshGemmPrimitive.Cycles(timing, s.TileM, s.TileN, s.TileK, plan.Operator.ElementType) / _spec.ClockHz;
        var outputBlocks = plan.IndexLoops.Where(l => l.Role != LoopRole.Band).Aggregate(1.0, (p, l) => p * plan.TripsOf(l)) * positions;
        var fillSeconds = outputBlocks * Primitives.FillPrimitive.Cycles(timing, _spec.SimdLanes, plan.BlockC) / _spec.ClockHz;

        // Border tiles move only their valid part: over all tiles of an axis, its extent of the padded extent.
        static double Share(Core.Axis axis, int tile) => axis.Extent / (double)((axis.Extent + tile - 1) / tile * tile);
        double shareM = Share(plan.M, s.TileM), shareN = Share(plan.N, s.TileN), shareK = Share(plan.K, s.TileK);
        var (positionA, positionB) = plan.HoistedPositions();
        double Runs(int position) => loops.Take(position + 1).Aggregate(1.0, (product, loop) => product * plan.TripsOf(loop));
        // A blocked operand moves whole blocks, each one run: its layout holds whole tiles.
        var (getA, secondsA) = Gets(plan, Runs(positionA), plan.BufferA, plan.BlockA, plan.BlockedA ? plan.BlockA : s.TileM / 8, plan.BlockedA ? 1 : shareM * shareK);
        var (getB, secondsB) = Gets(plan, Runs(positionB), plan.BufferB, plan.BlockB, plan.BlockedB ? plan.BlockB : s.TileK / 8, plan.BlockedB ? 1 : shareK * shareN);
        var hidden = (s.DoubleBufferA ? secondsA : 0) + (s.DoubleBufferB ? secondsB : 0);
        var exposed = (s.DoubleBufferA ? 0 : secondsA) + (s.DoubleBufferB ? 0 : secondsB);

        var dma = timing.Dma;
        var shareC = plan.BlockedC ? 1 : shareM * shareN;
        var putBytes = outputBlocks * plan.BlockC * plan.ElementBytes * shareC;
        var putColumns = plan.BlockedC ? 1 : s.TileN / 8;
        var putSeconds = outputBlocks * Cpes * (dma.RequestNanoseconds + (putColumns * dma.PutBlockNanoseconds)
            + (plan.BlockC * plan.ElementBytes * shareC * dma.PutNanosecondsPerByte)) * 1e-9;
        if (s.DoubleBufferC)
        {
            hidden += putSeconds;
        }
        else
        {
            exposed += putSeconds;
        }

        var compute = gemmSeconds + fillSeconds;
        var fixedSeconds = (timing.SpawnCycles + timing.JoinCycles) / _spec.ClockHz;
        var overlapped = Math.Cbrt((compute * compute * compute) + (hidden * hidden * hidden));
        return new CostAccount(calls, (getA + getB) * Cpes, putBytes * Cpes, compute, hidden, exposed, exposed + overlapped + fixedSeconds);
    }

    /// <summary>The bytes one CPE gets for an operand over the kernel, and the controller's seconds for all 64 CPEs.</summary>
    private (double Bytes, double Seconds) Gets(LoopPlan plan, double executions, long bufferElements, long blockElements, long blockRows, double share)
    {
        var bytes = bufferElements * plan.ElementBytes * share;
        var slots = Math.Max(1, bufferElements / blockElements);
        var blocks = bufferElements / Math.Max(1, blockRows);
        var dma = _spec.Timing.Dma;
        var perCpe = (slots * dma.RequestNanoseconds) + (blocks * dma.GetBlockNanoseconds) + (bytes * dma.GetNanosecondsPerByte);
        return (executions * bytes, executions * Cpes * perCpe * 1e-9);
    }
}
