using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>The mesh GEMM collective: bit-identical to the reference over random legal shapes, its tallies and its rules.</summary>
public sealed class MeshGemmTests
{
    private const int Mesh = 8;

    /// <summary>Whole-mesh column-major operands; float values are held exactly in doubles.</summary>
    private sealed record Problem(int M, int N, int K, ElementType Type, double[] A, double[] B, double[] C)
    {
        public int Mb => M / Mesh;

        public int Nb => N / Mesh;

        public int Kb => K / Mesh;

        public static Problem Generate(int seed, ElementType type)
        {
            var random = new Random(seed);
            int m = 128 * random.Next(1, 3), n = 32 * random.Next(1, 5), k = 8 * random.Next(1, 17);
            return Of(m, n, k, type, seed);
        }

        public static Problem Of(int m, int n, int k, ElementType type, int seed) => new(
            m, n, k, type, Values(seed * 3, m * k, type), Values((seed * 3) + 1, k * n, type), Values((seed * 3) + 2, m * n, type));

        private static double[] Values(int seed, int count, ElementType type) =>
            type == ElementType.Float64 ? RandomDoubles(seed, count) : [.. RandomFloats(seed, count).Select(f => (double)f)];
    }

    /// <summary>C after <paramref name="calls"/> mesh GEMMs computed the textbook way.</summary>
    private static double[] Reference(Problem p, int calls = 1)
    {
        if (p.Type == ElementType.Float64)
        {
            var c = p.C.ToArray();
            for (var call = 0; call < calls; call++)
            {
                ReferenceGemm.MultiplyAdd(p.M, p.N, p.K, p.A, p.M, p.B, p.K, c, p.M);
            }

            return c;
        }

        float[] a = [.. p.A.Select(x => (float)x)], b = [.. p.B.Select(x => (float)x)], cf = [.. p.C.Select(x => (float)x)];
        for (var call = 0; call < calls; call++)
        {
            ReferenceGemm.MultiplyAddFloatInDouble(p.M, p.N, p.K, a, p.M, b, p.K, cf, p.M);
        }

        return [.. cf.Select(x => (double)x)];
    }

    /// <summary>
    /// Every CPE (r, c) loads its blocks A[r][c], B[r][c], C[r][c] into LDM, the mesh runs
    /// <paramref name="calls"/> GEMMs, and the C blocks are assembled into the whole C.
    /// </summary>
    private static (double[] C, CoreGroupRunReport Report) Emulate(Problem p, EmulatorOptions options, int calls = 1)
    {
        var result = new double[p.M * p.N];
        var group = Group(options);
        var report = group.Run(async cpe =>
        {
            var (a, b, c) = Load(cpe, p);
            for (var call = 0; call < calls; call++)
            {
                await cpe.MeshGemm(p.M, p.N, p.K, a.All, b.All, c.All);
            }

            Store(cpe, p, c, result);
        });
        return (result, report);
    }

    private static (LdmBuffer A, LdmBuffer B, LdmBuffer C) Load(ICpe cpe, Problem p)
    {
        int mb = p.Mb, nb = p.Nb, kb = p.Kb, r = cpe.Id.Row, s = cpe.Id.Column;
        var a = cpe.Ldm.Allocate("A block", p.Type, mb * kb);
        var b = cpe.Ldm.Allocate("B block", p.Type, kb * nb);
        var c = cpe.Ldm.Allocate("C block", p.Type, mb * nb);
        var av = new double[mb * kb];
        var bv = new double[kb * nb];
        var cv = new double[mb * nb];
        for (var col = 0; col < kb; col++)
        {
            for (var i = 0; i < mb; i++)
            {
                av[i + (col * mb)] = p.A[(((s * kb) + col) * p.M) + (r * mb) + i];
            }
        }

        for (var col = 0; col < nb; col++)
        {
            for (var i = 0; i < kb; i++)
            {
                bv[i + (col * kb)] = p.B[(((s * nb) + col) * p.K) + (r * kb) + i];
            }

            for (var i = 0; i < mb; i++)
            {
                cv[i + (col * mb)] = p.C[(((s * nb) + col) * p.M) + (r * mb) + i];
            }
        }

        Write(cpe, a, av);
        Write(cpe, b, bv);
        Write(cpe, c, cv);
        return (a, b, c);
    }

    private static void Write(ICpe cpe, LdmBuffer buffer, double[] values)
    {
        if (buffer.ElementType == ElementType.Float64)
        {
            values.CopyTo(cpe.Ldm.Doubles(buffer.All));
        }
        else
        {
            var floats = cpe.Ldm.Floats(buffer.All);
            for (var i = 0; i < values.Length; i++)
            {
                floats[i] = (float)values[i];
            }
        }
    }

    private static void Store(ICpe cpe, Problem p, LdmBuffer c, double[] result)
    {
        int mb = p.Mb, nb = p.Nb, r = cpe.Id.Row, s = cpe.Id.Column;
        var values = new double[mb * nb];
        if (c.ElementType == ElementType.Float64)
        {
            cpe.Ldm.Doubles(c.All).CopyTo(values);
        }
        else
        {
            var floats = cpe.Ldm.Floats(c.All);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = floats[i];
            }
        }

        for (var col = 0; col < nb; col++)
        {
            for (var i = 0; i < mb; i++)
            {
                result[(((s * nb) + col) * p.M) + (r * mb) + i] = values[i + (col * mb)];
            }
        }
    }

    [Test]
    public void IsBitIdenticalToTheReferenceOverRandomShapes([Values(1, 2, 3, 4, 5, 6)] int seed, [Values] ElementType type)
    {
        var problem = Problem.Generate(seed, type);
        var (actual, _) = Emulate(problem, EmulatorOptions.Sequential);
        Assert.That(Bits(actual), Is.EqualTo(Bits(Reference(problem))), $"M = {problem.M}, N = {problem.N}, K = {problem.K}, {type}");
    }

    [Test]
    public void ConsecutiveCallsAccumulateIntoC([Values] ElementType type)
    {
        var problem = Problem.Of(128, 64, 24, type, seed: 11);
        var (actual, report) = Emulate(problem, EmulatorOptions.Sequential, calls: 3);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(actual), Is.EqualTo(Bits(Reference(problem, calls: 3))));
            Assert.That(report.Cpes.Select(c => c.MeshGemmCalls), Has.All.EqualTo(3));
        }
    }

    [Test]
    public void SequentialAndParallelRunsGiveTheSameBits([Values(7, 8)] int seed, [Values] ElementType type)
    {
        var problem = Problem.Generate(seed, type);
        var (sequential, _) = Emulate(problem, EmulatorOptions.Sequential);
        var (parallel, _) = Emulate(problem, EmulatorOptions.Default with { HostThreads = 3 });
        var (wide, _) = Emulate(problem, EmulatorOptions.Default with { HostThreads = 64 });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(parallel), Is.EqualTo(Bits(sequential)));
            Assert.That(Bits(wide), Is.EqualTo(Bits(sequential)));
        }
    }

    [Test]
    public void EveryCpeIsCreditedWithItsShareOfTheWork()
    {
        var problem = Problem.Of(256, 96, 40, ElementType.Float64, seed: 5);
        var (_, report) = Emulate(problem, EmulatorOptions.Sequential, calls: 2);
        long mb = 32, nb = 12, kb = 5;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Cpes, Has.Count.EqualTo(64));
            Assert.That(report.Cpes.Select(c => c.MeshGemmCalls), Has.All.EqualTo(2));
            Assert.That(report.Cpes.Select(c => c.Flops), Has.All.EqualTo(2 * 2 * mb * nb * 40));
            Assert.That(report.Total.Flops, Is.EqualTo(2L * 2 * 256 * 96 * 40), "64 shares make the whole GEMM");
            var blocks = (mb / 16) * (nb / 4);
            Assert.That(report.Cpes.Select(c => c.RlcPuts), Has.All.EqualTo(2 * 2 * blocks * kb * 4), "per call, in each of the two steps it owns, 4 registers per register block and reduction index");
            Assert.That(report.Cpes.Select(c => c.RlcGets), Has.All.EqualTo(2 * 7 * 2 * blocks * kb * 4), "the same from the owners of the seven other steps, for A and for B");
        }
    }

    [TestCase(100, 32, 8, "M = 100")]
    [TestCase(128, 48, 8, "N = 48")]
    [TestCase(128, 32, 12, "K = 12")]
    [TestCase(0, 32, 8, "M = 0")]
    public void AShapeOffTheRulesIsRefused(int m, int n, int k, string rule)
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(async cpe =>
            {
                // Blocks of the legal 128 x 32 x 8 shape; only (4, 1) passes the broken one.
                var a = cpe.Ldm.Allocate("a", ElementType.Float64, 16);
                var b = cpe.Ldm.Allocate("b", ElementType.Float64, 4);
                var c = cpe.Ldm.Allocate("c", ElementType.Float64, 64);
                var culprit = cpe.Id is { Row: 4, Column: 1 };
                await cpe.MeshGemm(culprit ? m : 128, culprit ? n : 32, culprit ? k : 8, a.All, b.All, c.All);
            }),
            EmulatorDiagnostics.PrimitiveMisuse, Name(4, 1), "MeshGemm", rule);
    }

    [TestCase("A", 17, 4, 64, "16 x 1 = 16 elements")]
    [TestCase("B", 16, 8, 64, "1 x 4 = 4 elements")]
    [TestCase("C", 16, 4, 12, "16 x 4 = 64 elements")]
    public void AnOperandBlockOfTheWrongSizeIsRefused(string operand, int aCount, int bCount, int cCount, string shape)
    {
        // M = 128, N = 32, K = 8: blocks A 16 x 1, B 1 x 4, C 16 x 4.
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(async cpe =>
            {
                var wrong = cpe.Id is { Row: 6, Column: 0 };
                var a = cpe.Ldm.Allocate("a", ElementType.Float64, wrong ? aCount : 16);
                var b = cpe.Ldm.Allocate("b", ElementType.Float64, wrong ? bCount : 4);
                var c = cpe.Ldm.Allocate("c", ElementType.Float64, wrong ? cCount : 64);
                await cpe.MeshGemm(128, 32, 8, a.All, b.All, c.All);
            }),
            EmulatorDiagnostics.PrimitiveMisuse, Name(6, 0), $"operand {operand}", $"'{operand.ToLowerInvariant()}'", shape);
    }

    [Test]
    public void AnAccumulatorAliasingAnInputIsRefused()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(async cpe =>
            {
                var ab = cpe.Ldm.Allocate("shared", ElementType.Float64, 16 + 4 + 64);
                var a = ab.Slice(0, 16);
                var b = ab.Slice(16, 4);
                var c = cpe.Id is { Row: 2, Column: 3 } ? ab.Slice(8, 64) : ab.Slice(20, 64);
                await cpe.MeshGemm(128, 32, 8, a, b, c);
            }),
            EmulatorDiagnostics.PrimitiveMisuse, Name(2, 3), "'shared'[8..72)", "overlaps A");
    }

    [Test]
    public void OperandsOfMixedElementTypesAreRefused()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(async cpe =>
            {
                var a = cpe.Ldm.Allocate("a", ElementType.Float64, 16);
                var b = cpe.Ldm.Allocate("b", ElementType.Float32, 4);
                var c = cpe.Ldm.Allocate("c", ElementType.Float64, 64);
                await cpe.MeshGemm(128, 32, 8, a.All, b.All, c.All);
            }),
            EmulatorDiagnostics.PrimitiveMisuse, Name(0, 0), "operand B", "'b'", "Float32", "Float64");
    }

    [Test]
    public void CpesThatDisagreeOnTheShapeAreRefused()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(async cpe =>
            {
                var k = cpe.Id is { Row: 0, Column: 5 } ? 16 : 8;
                var a = cpe.Ldm.Allocate("a", ElementType.Float64, 16 * (k / 8));
                var b = cpe.Ldm.Allocate("b", ElementType.Float64, 4 * (k / 8));
                var c = cpe.Ldm.Allocate("c", ElementType.Float64, 64);
                await cpe.MeshGemm(128, 32, k, a.All, b.All, c.All);
            }),
            EmulatorDiagnostics.PrimitiveMisuse, Name(0, 5), "K = 16", Name(0, 0), "K = 8", "all 64 CPEs must agree");
    }

    [Test]
    public void CpesThatDisagreeOnTheElementTypeAreRefused()
    {
        var group = Group();
        Throws<EmulatorException>(
            () => group.Run(async cpe =>
            {
                var type = cpe.Id is { Row: 7, Column: 2 } ? ElementType.Float32 : ElementType.Float64;
                var a = cpe.Ldm.Allocate("a", type, 16);
                var b = cpe.Ldm.Allocate("b", type, 4);
                var c = cpe.Ldm.Allocate("c", type, 64);
                await cpe.MeshGemm(128, 32, 8, a.All, b.All, c.All);
            }),
            EmulatorDiagnostics.PrimitiveMisuse, Name(7, 2), "Float32", "Float64", "must agree");
    }

    [Test]
    public void AMeshGemmSomeCpeNeverCallsIsADeadlock()
    {
        var group = Group();
        var error = Throws<DeadlockException>(
            () => group.Run(async cpe =>
            {
                if (cpe.Id is { Row: 3, Column: 6 })
                {
                    return;
                }

                var a = cpe.Ldm.Allocate("a", ElementType.Float64, 16);
                var b = cpe.Ldm.Allocate("b", ElementType.Float64, 4);
                var c = cpe.Ldm.Allocate("c", ElementType.Float64, 64);
                await cpe.MeshGemm(128, 32, 8, a.All, b.All, c.All);
            }),
            EmulatorDiagnostics.Deadlock, "63 of 64 CPEs wait", "MeshGemm (M = 128, N = 32, K = 8)");
        Assert.That(error.BlockedCpes, Has.No.Member(new CpeId(0, 3, 6)).And.Count.EqualTo(63));
    }
}
