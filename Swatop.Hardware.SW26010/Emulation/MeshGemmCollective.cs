using System.Globalization;
using System.Runtime.InteropServices;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The mesh GEMM of a core group, executed once per call for all 64 CPEs rather than per element.
/// In SUMMA step s every CPE (r, c) computes C[r][c] += A[r][s] * B[s][c], where the real kernel
/// receives A[r][s] by a row broadcast from CPE (r, s) and B[s][c] by a column broadcast from CPE
/// (s, c); here the blocks are read straight from those CPEs' LDM, and the register traffic they
/// would cost is tallied. Steps run in order, so each C element sees one sequential fused chain
/// over k, the contract of <see cref="GemmKernel"/>: results are bit-identical to
/// <see cref="ReferenceGemm"/> in any execution mode.
/// </summary>
internal sealed class MeshGemmCollective
{
    private readonly CoreGroup _group;
    private readonly bool _timingOnly;
    private readonly MeshGemmCall[] _calls;
    private readonly Shape[] _shapes;
    private readonly List<Cpe> _waiting = [];
    private double[][] _wideA = [];
    private double[][] _wideB = [];
    private double[][] _wideC = [];

    // The call under way: the first arrival's shape, whether a later one differed, and the latest
    // arrival cycle (a waiting CPE's clock stands still, so the maximum is kept as they come).
    private Shape _shape;
    private bool _disagreement;
    private double _start;

    // What every member's tallies take from the calls of this run: each call adds the same to all 64.
    private long _callCount;
    private long _flops;
    private long _rlcPuts;
    private long _rlcGets;

    internal MeshGemmCollective(CoreGroup group)
    {
        _group = group;
        _timingOnly = group.Options.TimingOnly;
        _calls = new MeshGemmCall[group.Spec.CpesPerCoreGroup];
        _shapes = new Shape[_calls.Length];
    }

    /// <summary>The end of the last call: what a CPE that waited in it takes when it resumes (no later call can end before it has).</summary>
    internal MeshGemmEnd LastEnd { get; private set; }

    internal void Reset()
    {
        _waiting.Clear();
        _disagreement = false;
        _start = 0;
        _callCount = 0;
        _flops = 0;
        _rlcPuts = 0;
        _rlcGets = 0;
    }

    /// <summary>Adds the tallies of this run's calls to every member's: they registered, sent and computed the same in each call.</summary>
    internal void AddTallies()
    {
        foreach (var member in _group.Cpes)
        {
            var counters = member.Counters;
            counters.MeshGemmCalls += _callCount;
            counters.Flops += _flops;
            counters.RlcPuts += _rlcPuts;
            counters.RlcGets += _rlcGets;
        }
    }

    internal CpeWait Arrive(Cpe cpe, MeshGemmCall call)
    {
        // Only a full run reads the blocks; the shapes are what every run checks.
        if (!_timingOnly)
        {
            _calls[cpe.IdInGroup] = call;
        }

        var shape = new Shape(call.M, call.N, call.K, call.A.ElementType);
        _shapes[cpe.IdInGroup] = shape;
        if (_waiting.Count == 0)
        {
            _shape = shape;
            _start = cpe.Clock.Now;
        }
        else
        {
            _disagreement |= shape != _shape;
            _start = Math.Max(_start, cpe.Clock.Now);
        }

        if (_waiting.Count + 1 < _calls.Length)
        {
            _waiting.Add(cpe);
            return cpe.SuspendInMeshGemm();
        }

        if (_disagreement)
        {
            throw Disagreement();
        }

        if (!_timingOnly)
        {
            Execute();
        }

        // The SUMMA steps need every CPE's blocks, so the call starts when the last CPE arrives
        // (the others wait on their register gets) and all finish together.
        var end = End(shape);
        LastEnd = end;
        end.ApplyTo(ref cpe.Clock);
        var scheduler = _group.Scheduler;
        foreach (var other in _waiting)
        {
            scheduler.Enqueue(other, end.Cycle);
        }

        _waiting.Clear();
        return default;
    }

    /// <summary>What the CPE <paramref name="cpe"/> (its index in the group), waiting in a call, waits for: for a deadlock report.</summary>
    internal string Reason(int cpe)
    {
        var call = _shapes[cpe];
        return string.Create(CultureInfo.InvariantCulture, $"waits in MeshGemm (M = {call.M}, N = {call.N}, K = {call.K}) for CPEs that never call it");
    }

    /// <summary>The error for calls that do not all agree on the shape: the first CPE that differs from CPE 0, against CPE 0.</summary>
    private EmulatorException Disagreement()
    {
        var first = _shapes[0];
        var cpes = _group.Cpes;
        var i = Array.FindIndex(_shapes, s => s != first);
        var call = _shapes[i];
        return new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
            $"MeshGemm: {cpes[i].Id} called it with M = {call.M}, N = {call.N}, K = {call.K} on {call.Type}, but {cpes[0].Id} with M = {first.M}, N = {first.N}, K = {first.K} on {first.Type}; all 64 CPEs must agree."));
    }

    private void Execute()
    {
        var first = _calls[0];
        var mesh = MeshGemmRules.MeshSize;
        int mb = first.M / mesh, nb = first.N / mesh, kb = first.K / mesh;
        var workers = _group.Options.CollectiveWorkers;
        if (first.A.ElementType == ElementType.Float64)
        {
            ForEachCpe(workers, index => MultiplyDouble(index, mb, nb, kb));
        }
        else
        {
            EnsureWideScratch(mb * kb, kb * nb, mb * nb);
            ForEachCpe(workers, index =>
            {
                ElementConvert.ToDouble(Floats(index, _calls[index].A), _wideA[index].AsSpan(0, mb * kb));
                ElementConvert.ToDouble(Floats(index, _calls[index].B), _wideB[index].AsSpan(0, kb * nb));
            });
            ForEachCpe(workers, index => MultiplyFloatInDouble(index, mb, nb, kb));
        }
    }

    private void MultiplyDouble(int index, int mb, int nb, int kb)
    {
        var mesh = MeshGemmRules.MeshSize;
        int row = index / mesh, column = index % mesh;
        var c = Doubles(index, _calls[index].C);
        for (var step = 0; step < mesh; step++)
        {
            var aOwner = (row * mesh) + step;
            var bOwner = (step * mesh) + column;
            GemmKernel.MultiplyAdd(mb, nb, kb, Doubles(aOwner, _calls[aOwner].A), mb, Doubles(bOwner, _calls[bOwner].B), kb, c, mb);
        }
    }

    private void MultiplyFloatInDouble(int index, int mb, int nb, int kb)
    {
        var mesh = MeshGemmRules.MeshSize;
        int row = index / mesh, column = index % mesh;
        var c = _wideC[index].AsSpan(0, mb * nb);
        var cFloat = Floats(index, _calls[index].C);
        ElementConvert.ToDouble(cFloat, c);
        for (var step = 0; step < mesh; step++)
        {
            GemmKernel.MultiplyAdd(mb, nb, kb, _wideA[(row * mesh) + step].AsSpan(0, mb * kb), mb, _wideB[(step * mesh) + column].AsSpan(0, kb * nb), kb, c, mb);
        }

        ElementConvert.ToSingle(c, cFloat);
    }

    /// <summary>
    /// The end of the call that started at the last arrival, its cycles from the timing model; and
    /// its tallies, what each CPE did on the real kernel (<see cref="MeshGemmPrimitive.Tally"/>): the
    /// registers it broadcast in the two steps it owns and received in the others, and its share of
    /// the fused multiply-adds.
    /// </summary>
    private MeshGemmEnd End(Shape call)
    {
        var tally = MeshGemmPrimitive.Tally(call.M, call.N, call.K);
        _callCount++;
        _flops += tally.Flops;
        _rlcPuts += tally.RlcPuts;
        _rlcGets += tally.RlcGets;
        var end = _start + MeshGemmTiming.Cycles(_group.Spec.Timing, call.M, call.N, call.K, call.Type);
        return new MeshGemmEnd(_start, end - _start);
    }

    private Span<double> Doubles(int cpe, LdmSpan span) => MemoryMarshal.Cast<byte, double>(_group.Cpes[cpe].Ldm.RawBytes(span));

    private Span<float> Floats(int cpe, LdmSpan span) => MemoryMarshal.Cast<byte, float>(_group.Cpes[cpe].Ldm.RawBytes(span));

    private void EnsureWideScratch(int a, int b, int c)
    {
        static double[][] Grow(double[][] current, int count, int length) =>
            current.Length == count && current[0].Length >= length ? current : [.. Enumerable.Range(0, count).Select(_ => new double[length])];

        _wideA = Grow(_wideA, _calls.Length, a);
        _wideB = Grow(_wideB, _calls.Length, b);
        _wideC = Grow(_wideC, _calls.Length, c);
    }

    /// <summary>Runs <paramref name="body"/> for every CPE index, in contiguous ranges over <paramref name="workers"/> host threads.</summary>
    private void ForEachCpe(int workers, Action<int> body)
    {
        var count = _calls.Length;
        if (workers <= 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            var start = count * worker / workers;
            var end = count * (worker + 1) / workers;
            for (var i = start; i < end; i++)
            {
                body(i);
            }
        });
    }

    /// <summary>What the 64 CPEs of a call must agree on.</summary>
    private readonly record struct Shape(int M, int N, int K, ElementType Type);
}
