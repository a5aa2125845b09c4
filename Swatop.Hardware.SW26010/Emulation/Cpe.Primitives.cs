using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Swatop.Hardware.Sw26010.Primitives;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>The tensorized primitives as a CPE calls them.</summary>
internal sealed partial class Cpe
{
    // The last mesh GEMM shape that passed the primitive's rules (zeros break them, so none has yet).
    private (int M, int N, int K) _checkedGemmShape;

    // The account of the last mesh GEMM shape called: programs call one shape over and over.
    private (int M, int N, int K, ElementType Type) _issuedGemmShape;
    private MeshGemmIssue? _gemmIssue;

    /// <inheritdoc />
    public ValueTask MeshGemm(int m, int n, int k, LdmSpan a, LdmSpan b, LdmSpan c) => MeshGemmCore(m, n, k, a, b, c).AsValueTask();

    /// <summary><see cref="MeshGemm"/> as the emulator's own programs await it.</summary>
    internal CpeWait MeshGemmCore(int m, int n, int k, LdmSpan a, LdmSpan b, LdmSpan c)
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

        // The blocks matter only to the arithmetic: a timing-only run, which never reads them, leaves them unchecked.
        var mesh = MeshGemmRules.MeshSize;
        if (!_timingOnly && !OperandsFit(a, b, c, m / mesh, n / mesh, k / mesh))
        {
            throw OperandMisuse(a, b, c, m / mesh, n / mesh, k / mesh);
        }

        // The CPE reads its A and B blocks to broadcast them and updates its C block.
        var pending = Ldm.Pending;
        if (pending.Count != 0)
        {
            pending.Read(a, "MeshGemm operand A");
            pending.Read(b, "MeshGemm operand B");
            pending.Write(c, "MeshGemm operand C");
        }

        if (_gemmIssue is null || (m, n, k, a.ElementType) != _issuedGemmShape)
        {
            (_gemmIssue, _issuedGemmShape) = (MeshGemmIssue.For(m, n, k, a.ElementType), (m, n, k, a.ElementType));
        }

        _gemmIssue.Count(Counters);
        return _group.MeshGemm.Arrive(this, new MeshGemmCall(m, n, k, a, b, c));
    }

    /// <inheritdoc />
    public void Fill(LdmSpan destination, double value)
    {
        Ldm.CheckOwned(destination.Buffer);
        Ldm.Pending.Write(destination, "Fill");
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

        FillPrimitive.Count(Counters, destination.Count);
        Clock.Spend(FillPrimitive.Cycles(Timing, Spec.SimdLanes, destination.Count));
    }

    /// <inheritdoc />
    public void Elementwise(ElementwiseOp op, LdmSpan target, ElementwiseSource first, ElementwiseSource second = default)
    {
        Ldm.CheckOwned(target.Buffer);
        var binary = ElementwiseRules.Arity(op) == 2;
        ReadOnlySpan<(ElementwiseOperandKind, long)> shapes = binary ? [first.Shape, second.Shape] : [first.Shape];
        CheckElementwiseOperand(op, target, first);
        if (binary)
        {
            CheckElementwiseOperand(op, target, second);
        }

        if (ElementwiseRules.Violation(op, target.Count, shapes) is { } violation)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, $"{Id}: Elementwise {ElementwiseRules.Name(op)} on {target}: {violation}");
        }

        var pending = Ldm.Pending;
        if (pending.Count != 0)
        {
            pending.Write(target, "Elementwise target");
            if (first.ReadsLdm)
            {
                pending.Read(first.Span, "Elementwise operand");
            }

            if (binary && second.ReadsLdm)
            {
                pending.Read(second.Span, "Elementwise operand");
            }
        }

        if (!_timingOnly)
        {
            var bytes = Ldm.RawBytes(target);
            if (target.ElementType == ElementType.Float64)
            {
                ElementwiseKernel.Apply(op, MemoryMarshal.Cast<byte, double>(bytes), DoubleInput(first), binary ? DoubleInput(second) : default);
            }
            else
            {
                ElementwiseKernel.Apply(op, MemoryMarshal.Cast<byte, float>(bytes), SingleInput(first), binary ? SingleInput(second) : default);
            }
        }

        ElementwisePrimitive.Count(Counters, op, target.Count);
        Span<ElementwiseOperandKind> kinds = [first.Kind, second.Kind];
        Span<long> addresses = [first.ReadsLdm ? ElementAddress(first.Span) : 0, binary && second.ReadsLdm ? ElementAddress(second.Span) : 0];
        var issue = ElementwisePrimitive.Issue(op, Spec.SimdLanes, target.Count, ElementwiseRules.Rows(target.Count, shapes), ElementAddress(target), kinds[..shapes.Length], addresses[..shapes.Length]);
        issue.Count(Counters);
        Clock.Spend(issue.Cycles(Timing, Spec.SimdLanes));
    }

    /// <inheritdoc />
    public void Exponential(LdmSpan target)
    {
        Ldm.CheckOwned(target.Buffer);
        var pending = Ldm.Pending;
        if (pending.Count != 0)
        {
            pending.Write(target, "Exponential target");
        }

        if (!_timingOnly)
        {
            var bytes = Ldm.RawBytes(target);
            if (target.ElementType == ElementType.Float64)
            {
                ExpKernel.Apply(MemoryMarshal.Cast<byte, double>(bytes));
            }
            else
            {
                ExpKernel.Apply(MemoryMarshal.Cast<byte, float>(bytes));
            }
        }

        ExpPrimitive.Count(Counters, target.Count);
        var issue = ExpPrimitive.Issue(Spec.SimdLanes, target.Count, ElementAddress(target));
        issue.Count(Counters);
        Clock.Spend(issue.Cycles(Timing, Spec.SimdLanes));
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

        Ldm.Pending.Read(source, "Convert source");
        Ldm.Pending.Write(destination, "Convert target");

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

        ConvertPrimitive.Count(Counters, source.Count);
        Clock.Spend(ConvertPrimitive.Cycles(Timing, source.Count));
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

        var pending = Ldm.Pending;
        if (pending.Count != 0)
        {
            pending.Read(source.Slice(0, (int)extent), "Copy source");
            pending.Write(destination, "Copy target");
        }

        var elementBytes = source.Buffer.ElementBytes;
        if (!_timingOnly)
        {
            StridedCopy.Gather(Ldm.RawBytes(source), Ldm.RawBytes(destination), count * elementBytes, blockElements * elementBytes, gapElements * elementBytes);
        }

        CopyPrimitive.Count(Counters, count);
        Clock.Spend(CopyPrimitive.Cycles(Timing, Spec.SimdLanes, blocks, blockElements));
    }

    /// <inheritdoc />
    public void Transpose(LdmSpan source, LdmSpan destination, int rows, int columns)
    {
        Ldm.CheckOwned(source.Buffer);
        Ldm.CheckOwned(destination.Buffer);
        if (TransposeRules.Violation(rows, columns, destination.Count, source.Count) is { } violation)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: Transpose of {source} ({rows} x {columns}) into {destination}: {violation}"));
        }

        if (source.ElementType != destination.ElementType || source.Overlaps(destination))
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: Transpose of {source} ({source.ElementType}) into {destination} ({destination.ElementType}): the spans must hold elements of one type and must not overlap."));
        }

        Ldm.Pending.Read(source, "Transpose source");
        Ldm.Pending.Write(destination, "Transpose target");

        if (!_timingOnly && source.Count > 0)
        {
            if (source.ElementType == ElementType.Float64)
            {
                TransposeElements<double>(source, destination, rows, columns);
            }
            else
            {
                TransposeElements<float>(source, destination, rows, columns);
            }
        }

        TransposePrimitive.Count(Counters, source.Count);
        Clock.Spend(TransposePrimitive.Cycles(Timing, Spec.SimdLanes, rows, columns));
    }

    /// <inheritdoc />
    public void MultiplyAccumulate(LdmSpan target, LdmSpan weights, LdmSpan source, int stride, int dilation)
    {
        Ldm.CheckOwned(target.Buffer);
        Ldm.CheckOwned(weights.Buffer);
        Ldm.CheckOwned(source.Buffer);
        if (MultiplyAccumulateRules.Violation(target.Count, weights.Count, source.Count, stride, dilation) is { } violation)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: MultiplyAccumulate into {target} of {weights} by {source}: {violation}"));
        }

        if (target.ElementType != weights.ElementType || target.ElementType != source.ElementType || target.Overlaps(weights) || target.Overlaps(source))
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: MultiplyAccumulate into {target} ({target.ElementType}) of {weights} ({weights.ElementType}) by {source} ({source.ElementType}): the spans must hold elements of one type and the target must overlap neither operand."));
        }

        var read = (int)MultiplyAccumulateRules.SourceSpan(target.Count, weights.Count, stride, dilation);
        var pending = Ldm.Pending;
        if (pending.Count != 0)
        {
            pending.Write(target, "MultiplyAccumulate target");
            pending.Read(weights, "MultiplyAccumulate weights");
            pending.Read(source.Slice(0, read), "MultiplyAccumulate source");
        }

        if (!_timingOnly && read > 0)
        {
            if (target.ElementType == ElementType.Float64)
            {
                MultiplyAccumulateKernel.Apply(MemoryMarshal.Cast<byte, double>(Ldm.RawBytes(target)), MemoryMarshal.Cast<byte, double>(Ldm.RawBytes(weights)),
                    MemoryMarshal.Cast<byte, double>(Ldm.RawBytes(source.Slice(0, read))), stride, dilation);
            }
            else
            {
                MultiplyAccumulateKernel.Apply(MemoryMarshal.Cast<byte, float>(Ldm.RawBytes(target)), MemoryMarshal.Cast<byte, float>(Ldm.RawBytes(weights)),
                    MemoryMarshal.Cast<byte, float>(Ldm.RawBytes(source.Slice(0, read))), stride, dilation);
            }
        }

        MultiplyAccumulatePrimitive.Count(Counters, target.Count, weights.Count);
        var issue = MultiplyAccumulatePrimitive.Issue(Spec.SimdLanes, target.Count, weights.Count, stride, ElementAddress(target));
        issue.Count(Counters);
        Clock.Spend(issue.Cycles(Timing, Spec.SimdLanes));
    }

    /// <summary>
    /// The LDM address of a span's first element in elements: its byte address over the element's size, which lies on
    /// a vector boundary where the emitted C's pointer does (buffers start on 32-byte boundaries in both).
    /// </summary>
    private static long ElementAddress(LdmSpan span) => (span.Buffer.ByteOffset / span.Buffer.ElementBytes) + span.Start;

    /// <summary>The transpose's data movement on spans the caller has checked: of one type, apart, <c>rows * columns</c> elements each.</summary>
    private void TransposeElements<T>(LdmSpan source, LdmSpan destination, int rows, int columns)
        where T : unmanaged
    {
        ref var from = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, T>(Ldm.RawBytes(source)));
        ref var to = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, T>(Ldm.RawBytes(destination)));
        BlockTranspose.TransposeUnchecked(ref from, ref to, rows, columns);
    }

    /// <summary>An LDM operand of an element-wise call must be this CPE's, of the target's type, and apart from the target.</summary>
    private void CheckElementwiseOperand(ElementwiseOp op, LdmSpan target, ElementwiseSource operand)
    {
        if (!operand.ReadsLdm)
        {
            return;
        }

        if (operand.Span.Buffer is null)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, $"{Id}: Elementwise {ElementwiseRules.Name(op)} on {target}: an operand of kind {operand.Kind} names no LDM span.");
        }

        Ldm.CheckSpan(operand.Span, target.ElementType, $"Elementwise {ElementwiseRules.Name(op)} operand");
        if (operand.Span.Overlaps(target))
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse,
                $"{Id}: Elementwise {ElementwiseRules.Name(op)}: the operand {operand.Span} overlaps the target {target}; an operand must not alias the elements it updates.");
        }
    }

    private ElementwiseInput<double> DoubleInput(ElementwiseSource operand) => operand.Kind switch
    {
        ElementwiseOperandKind.Scalar => ElementwiseInput.Constant(operand.Value),
        var kind => Input(kind, MemoryMarshal.Cast<byte, double>(Ldm.RawBytes(operand.Span))),
    };

    private ElementwiseInput<float> SingleInput(ElementwiseSource operand) => operand.Kind switch
    {
        ElementwiseOperandKind.Scalar => ElementwiseInput.Constant((float)operand.Value),
        var kind => Input(kind, MemoryMarshal.Cast<byte, float>(Ldm.RawBytes(operand.Span))),
    };

    private static ElementwiseInput<T> Input<T>(ElementwiseOperandKind kind, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
        {
            ElementwiseOperandKind.PerRow => ElementwiseInput.PerRow(values),
            ElementwiseOperandKind.PerColumn => ElementwiseInput.PerColumn(values),
            _ => ElementwiseInput.Span(values),
        };

    /// <summary>
    /// Whether the three blocks are this CPE's live buffers of one element type, of the block
    /// sizes, with C apart from A and B: every rule <see cref="OperandMisuse"/> names, in one pass.
    /// </summary>
    private bool OperandsFit(LdmSpan a, LdmSpan b, LdmSpan c, int mb, int nb, int kb)
    {
        LdmBuffer bufferA = a.Buffer, bufferB = b.Buffer, bufferC = c.Buffer;
        var type = bufferA.ElementType;
        if (!ReferenceEquals(bufferA.Home, Ldm) || !ReferenceEquals(bufferB.Home, Ldm) || !ReferenceEquals(bufferC.Home, Ldm)
            || bufferA.IsFreed || bufferB.IsFreed || bufferC.IsFreed
            || bufferB.ElementType != type || bufferC.ElementType != type
            || a.Count != mb * kb || b.Count != kb * nb || c.Count != mb * nb)
        {
            return false;
        }

        // One element type, one LDM: the spans overlap when their byte ranges do.
        long elementBytes = bufferA.ElementBytes;
        long startA = bufferA.ByteOffset + (a.Start * elementBytes), endA = startA + (a.Count * elementBytes);
        long startB = bufferB.ByteOffset + (b.Start * elementBytes), endB = startB + (b.Count * elementBytes);
        long startC = bufferC.ByteOffset + (c.Start * elementBytes), endC = startC + (c.Count * elementBytes);
        return (endC <= startA || endA <= startC) && (endC <= startB || endB <= startC);
    }

    /// <summary>The first rule of the mesh GEMM's operands that the blocks break, as the error to throw.</summary>
    private EmulatorException OperandMisuse(LdmSpan a, LdmSpan b, LdmSpan c, int mb, int nb, int kb)
    {
        var type = a.ElementType;
        Ldm.CheckSpan(a, type, "MeshGemm operand A");
        Ldm.CheckSpan(b, type, "MeshGemm operand B");
        Ldm.CheckSpan(c, type, "MeshGemm operand C");
        CheckBlock("A", a, mb, kb, "M/8 x K/8");
        CheckBlock("B", b, kb, nb, "K/8 x N/8");
        CheckBlock("C", c, mb, nb, "M/8 x N/8");
        return new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse,
            $"{Id}: MeshGemm: C ({c}) overlaps {(c.Overlaps(a) ? "A" : "B")}; the accumulator block must not alias an input.");
    }

    private void CheckBlock(string operand, LdmSpan span, int rows, int columns, string shape)
    {
        if (span.Count != rows * columns)
        {
            throw new EmulatorException(EmulatorDiagnostics.PrimitiveMisuse, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: MeshGemm operand {operand} ({span}) holds {span.Count} elements; its block is {shape} = {rows} x {columns} = {rows * columns} elements."));
        }
    }
}
