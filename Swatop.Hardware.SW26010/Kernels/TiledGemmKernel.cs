using System.Globalization;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>
/// A hand-written CPE program: C (M x N) += A (M x K) * B (K x N), all column-major in one core
/// group's main memory, computed tile by tile with the mesh GEMM. Every CPE (r, c) fetches its
/// blocks of the current tiles with strided DMA gets, the mesh multiplies, and the C blocks go back
/// with strided puts. The loop order is n tiles, m tiles, k tiles, so each C element sees its
/// products in k order: the result equals <see cref="ReferenceGemm"/> bit for bit.
/// </summary>
public sealed record TiledGemmKernel
{
    // The smallest tile the mesh GEMM accepts (swGEMM's whole-mesh multiples of 128, 32 and 8).
    private const int SmallestTileM = 128;
    private const int SmallestTileN = 32;
    private const int SmallestTileK = 8;

    /// <summary>Describes the kernel; tile sizes must obey the mesh GEMM's rules and divide the matrix.</summary>
    /// <exception cref="ArgumentException">A size breaks a rule; the message names it, its value and the rule.</exception>
    public TiledGemmKernel(int m, int n, int k, int tileM, int tileN, int tileK, ElementType elementType = ElementType.Float64)
    {
        if (MeshGemmRules.Violation(tileM, tileN, tileK) is { } rule)
        {
            // Name the extent at fault: probe each with the other two at the smallest legal tile.
            var parameter = MeshGemmRules.Violation(tileM, SmallestTileN, SmallestTileK) is not null ? nameof(tileM)
                : MeshGemmRules.Violation(SmallestTileM, tileN, SmallestTileK) is not null ? nameof(tileN)
                : nameof(tileK);
            throw new ArgumentException($"The tile {tileM} x {tileN} x {tileK} breaks the mesh GEMM's shape rule: {rule}", parameter);
        }

        RequireMultiple(m, tileM, nameof(m), nameof(tileM));
        RequireMultiple(n, tileN, nameof(n), nameof(tileN));
        RequireMultiple(k, tileK, nameof(k), nameof(tileK));
        (M, N, K, TileM, TileN, TileK, ElementType) = (m, n, k, tileM, tileN, tileK, elementType);
    }

    /// <summary>Rows of A and C.</summary>
    public int M { get; }

    /// <summary>Columns of B and C.</summary>
    public int N { get; }

    /// <summary>Columns of A, rows of B.</summary>
    public int K { get; }

    /// <summary>Rows of a mesh tile.</summary>
    public int TileM { get; }

    /// <summary>Columns of a mesh tile.</summary>
    public int TileN { get; }

    /// <summary>Depth of a mesh tile.</summary>
    public int TileK { get; }

    /// <summary>The element type of the three matrices.</summary>
    public ElementType ElementType { get; }

    /// <summary>Flops of one run: 2 M N K.</summary>
    public long Flops => 2L * M * N * K;

    /// <summary>LDM bytes each CPE allocates: one block of each operand's tile.</summary>
    public int LdmBytesPerCpe => ((TileM * TileK) + (TileK * TileN) + (TileM * TileN)) / 64 * ElementBytes;

    private int ElementBytes => ElementType == ElementType.Float64 ? sizeof(double) : sizeof(float);

    /// <summary>The CPE program over matrices <paramref name="a"/>, <paramref name="b"/> and <paramref name="c"/> of one core group.</summary>
    /// <exception cref="ArgumentException">A buffer is smaller than its matrix.</exception>
    public CpeProgram Program(GlobalBuffer a, GlobalBuffer b, GlobalBuffer c)
    {
        RequireSize(a, (long)M * K, nameof(a));
        RequireSize(b, (long)K * N, nameof(b));
        RequireSize(c, (long)M * N, nameof(c));
        return cpe => Run(cpe, a, b, c);
    }

    private async ValueTask Run(ICpe cpe, GlobalBuffer a, GlobalBuffer b, GlobalBuffer c)
    {
        const int mesh = MeshGemmRules.MeshSize;
        int mb = TileM / mesh, nb = TileN / mesh, kb = TileK / mesh, es = ElementBytes;
        int row = cpe.Id.Row, column = cpe.Id.Column;
        var blockA = cpe.Ldm.Allocate("a", ElementType, mb * kb);
        var blockB = cpe.Ldm.Allocate("b", ElementType, kb * nb);
        var blockC = cpe.Ldm.Allocate("c", ElementType, mb * nb);
        var reply = cpe.CreateReplyWord("reply");

        for (var n0 = 0; n0 < N; n0 += TileN)
        {
            for (var m0 = 0; m0 < M; m0 += TileM)
            {
                // This CPE's C block: rows m0 + row*mb, columns n0 + column*nb; nb runs of mb elements.
                var cAddress = c.At((((long)(n0 + (column * nb)) * M) + m0 + (row * mb)) * es);
                reply.Reset();
                cpe.DmaGet(blockC.All, cAddress, reply, mb * es, (M - mb) * es);
                await cpe.DmaWait(reply, 1);
                for (var k0 = 0; k0 < K; k0 += TileK)
                {
                    reply.Reset();
                    var aAddress = a.At((((long)(k0 + (column * kb)) * M) + m0 + (row * mb)) * es);
                    var bAddress = b.At((((long)(n0 + (column * nb)) * K) + k0 + (row * kb)) * es);
                    cpe.DmaGet(blockA.All, aAddress, reply, mb * es, (M - mb) * es);
                    cpe.DmaGet(blockB.All, bAddress, reply, kb * es, (K - kb) * es);
                    await cpe.DmaWait(reply, 2);
                    await cpe.MeshGemm(TileM, TileN, TileK, blockA.All, blockB.All, blockC.All);
                }

                reply.Reset();
                cpe.DmaPut(blockC.All, cAddress, reply, mb * es, (M - mb) * es);
                await cpe.DmaWait(reply, 1);
            }
        }
    }

    private void RequireSize(GlobalBuffer buffer, long elements, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer.ByteLength < elements * ElementBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Buffer '{buffer.Name}' has {buffer.ByteLength} bytes; the matrix needs {elements} {ElementType} elements ({elements * ElementBytes} bytes)."), name);
        }
    }

    private static void RequireMultiple(int size, int tile, string sizeName, string tileName)
    {
        if (size <= 0 || size % tile != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{sizeName} = {size} must be a positive multiple of {tileName} = {tile}."), sizeName);
        }
    }
}
