using System.Globalization;
using System.Runtime.InteropServices;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The tensorized primitives as a CPE calls them.</summary>
internal sealed partial class Cpe
{
    // The last mesh GEMM shape that passed the primitive's rules (zeros break them, so none has yet).
    private (int M, int N, int K) _checkedGemmShape;

    /// <inheritdoc />
    public ValueTask MeshGemm(int m, int n, int k, LdmSpan a, LdmSpan b, LdmSpan c)
    {
        // Programs call one shape over and over: the rules are checked when it changes.
        if ((m, n, k) != _checkedGemmShape)
        {
            if (MeshGemmRules.Violation(m, n, k) is { } rule)
            {
                throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, $"{Id}: MeshGemm: {rule}");
            }

            _checkedGemmShape = (m, n, k);
        }

        var type = a.ElementType;
        Ldm.CheckSpan(a, type, "MeshGemm operand A");
        Ldm.CheckSpan(b, type, "MeshGemm operand B");
        Ldm.CheckSpan(c, type, "MeshGemm operand C");
        var mesh = MeshGemmRules.MeshSize;
        CheckBlock("A", a, m / mesh, k / mesh, "M/8 x K/8");
        CheckBlock("B", b, k / mesh, n / mesh, "K/8 x N/8");
        CheckBlock("C", c, m / mesh, n / mesh, "M/8 x N/8");
        if (c.Overlaps(a) || c.Overlaps(b))
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse,
                $"{Id}: MeshGemm: C ({c}) overlaps {(c.Overlaps(a) ? "A" : "B")}; the accumulator block must not alias an input.");
        }

        return _group.MeshGemm.Arrive(this, new MeshGemmCall(m, n, k, a, b, c));
    }

    /// <inheritdoc />
    public void Fill(LdmSpan destination, double value)
    {
        Ldm.CheckOwned(destination.Buffer);
        if (!_timingOnly)
        {
            var bytes = Ldm.RawBytes(destination);
            if (destination.ElementType == ElementType.Float64)
            {
                BlockFill.Fill(MemoryMarshal.Cast<byte, double>(bytes), value);
            }
            else
            {
                BlockFill.Fill(MemoryMarshal.Cast<byte, float>(bytes), (float)value);
            }
        }

        Counters.FillElements += destination.Count;
        Clock.Spend(Timing.LoopSetupCycles + (Vectors(destination.Count) * Timing.FillCyclesPerVector));
    }

    /// <inheritdoc />
    public void Convert(LdmSpan source, LdmSpan destination)
    {
        Ldm.CheckOwned(source.Buffer);
        Ldm.CheckOwned(destination.Buffer);
        if (source.ElementType == destination.ElementType || source.Count != destination.Count || source.Overlaps(destination))
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: Convert from {source} ({source.Count} x {source.ElementType}) to {destination} ({destination.Count} x {destination.ElementType}): the spans must hold the same number of elements of different types and must not overlap."));
        }

        if (!_timingOnly)
        {
            var from = Ldm.RawBytes(source);
            var to = Ldm.RawBytes(destination);
            if (source.ElementType == ElementType.Float32)
            {
                ElementConvert.ToDouble(MemoryMarshal.Cast<byte, float>(from), MemoryMarshal.Cast<byte, double>(to));
            }
            else
            {
                ElementConvert.ToSingle(MemoryMarshal.Cast<byte, double>(from), MemoryMarshal.Cast<byte, float>(to));
            }
        }

        Counters.ConvertElements += source.Count;
        Clock.Spend(Timing.LoopSetupCycles + (source.Count * Timing.ConvertCyclesPerElement));
    }

    /// <inheritdoc />
    public void Copy(LdmSpan source, LdmSpan destination, int blockElements, int gapElements)
    {
        Ldm.CheckOwned(source.Buffer);
        Ldm.CheckOwned(destination.Buffer);
        var count = destination.Count;
        var blocks = blockElements > 0 && count % blockElements == 0 ? count / blockElements : -1;
        var extent = blocks > 0 ? ((long)(blocks - 1) * (blockElements + gapElements)) + blockElements : long.MaxValue;
        if (source.ElementType != destination.ElementType || count == 0 || blocks < 0 || gapElements < 0 || extent > source.Count || source.Overlaps(destination))
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: Copy of {count} elements from {source} to {destination} in blocks of {blockElements} with gaps of {gapElements}: the types must match, the block size must be positive and divide the destination, the gap must not be negative, the {(extent == long.MaxValue ? "strided" : extent.ToString(CultureInfo.InvariantCulture))} elements read must lie inside the {source.Count}-element source, and the spans must not overlap."));
        }

        var elementBytes = source.Buffer.ElementBytes;
        if (!_timingOnly)
        {
            StridedCopy.Gather(Ldm.RawBytes(source), Ldm.RawBytes(destination), count * elementBytes, blockElements * elementBytes, gapElements * elementBytes);
        }

        Counters.CopyElements += count;
        Clock.Spend((Timing.LoopSetupCycles * (1 + blocks)) + (blocks * Vectors(blockElements) * Timing.CopyCyclesPerVector));
    }

    private double Vectors(int elements) => (elements + Spec.SimdLanes - 1) / Spec.SimdLanes;

    private void CheckBlock(string operand, LdmSpan span, int rows, int columns, string shape)
    {
        if (span.Count != rows * columns)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: MeshGemm operand {operand} ({span}) holds {span.Count} elements; its block is {shape} = {rows} x {columns} = {rows * columns} elements."));
        }
    }
}
