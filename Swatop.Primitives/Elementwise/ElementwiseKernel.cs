using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Swatop.Primitives;

/// <summary>
/// The element-wise primitive on the host: <c>t = op(t, a[, b])</c> over a column-major block, in
/// 256-bit vectors with a scalar tail, column by column when an operand broadcasts. Every lane
/// computes what <see cref="Reference"/> computes for its element (one IEEE operation or C
/// conditional per step, nothing fused), so the results are bit-identical to it and to the C library's loop.
/// </summary>
public static class ElementwiseKernel
{
    /// <summary>Applies <paramref name="op"/> to every element of <paramref name="target"/> in place.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="op">The operation.</param>
    /// <param name="target">The elements updated in place; must not overlap an operand.</param>
    /// <param name="first">The first operand.</param>
    /// <param name="second">The second operand, for <see cref="ElementwiseOp.Clamp"/> only.</param>
    /// <exception cref="ArgumentException">The operands break <see cref="ElementwiseRules"/>.</exception>
    public static void Apply<T>(ElementwiseOp op, Span<T> target, ElementwiseInput<T> first, ElementwiseInput<T> second = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = CheckedRows(op, target.Length, first, second);
        if (target.IsEmpty)
        {
            return;
        }

        // A one-operand operation ignores the second operand; the first stands in for it.
        switch (op)
        {
            case ElementwiseOp.Add:
                Run<T, AddOperator<T>>(target, rows, first, first);
                break;
            case ElementwiseOp.Multiply:
                Run<T, MultiplyOperator<T>>(target, rows, first, first);
                break;
            case ElementwiseOp.Divide:
                Run<T, DivideOperator<T>>(target, rows, first, first);
                break;
            case ElementwiseOp.Maximum:
                Run<T, MaximumOperator<T>>(target, rows, first, first);
                break;
            case ElementwiseOp.Minimum:
                Run<T, MinimumOperator<T>>(target, rows, first, first);
                break;
            case ElementwiseOp.Clamp:
                Run<T, ClampOperator<T>>(target, rows, first, second);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown element-wise operation.");
        }
    }

    /// <summary>The semantics, one element at a time: what <see cref="Apply"/> must equal bit for bit.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="op">The operation.</param>
    /// <param name="target">The elements updated in place.</param>
    /// <param name="first">The first operand.</param>
    /// <param name="second">The second operand, for <see cref="ElementwiseOp.Clamp"/> only.</param>
    /// <exception cref="ArgumentException">The operands break <see cref="ElementwiseRules"/>.</exception>
    public static void Reference<T>(ElementwiseOp op, Span<T> target, ElementwiseInput<T> first, ElementwiseInput<T> second = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = CheckedRows(op, target.Length, first, second);
        for (var k = 0; k < target.Length; k++)
        {
            T t = target[k], a = ValueAt(first, k, rows), b = op == ElementwiseOp.Clamp ? ValueAt(second, k, rows) : T.Zero;
            target[k] = op switch
            {
                ElementwiseOp.Add => t + a,
                ElementwiseOp.Multiply => t * a,
                ElementwiseOp.Divide => t / a,
                ElementwiseOp.Maximum => t < a ? a : t,
                ElementwiseOp.Minimum => a < t ? a : t,
                _ => b < (t < a ? a : t) ? b : (t < a ? a : t),
            };
        }
    }

    private static T ValueAt<T>(ElementwiseInput<T> input, int k, int rows)
        where T : unmanaged, IFloatingPointIeee754<T> => input.Kind switch
        {
            ElementwiseOperandKind.Span => input.Values[k],
            ElementwiseOperandKind.PerRow => input.Values[k % rows],
            ElementwiseOperandKind.PerColumn => input.Values[k / rows],
            _ => input.Scalar,
        };

    private static int CheckedRows<T>(ElementwiseOp op, int count, ElementwiseInput<T> first, ElementwiseInput<T> second)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<(ElementwiseOperandKind, long)> shapes = ElementwiseRules.Arity(op) == 1 ? [first.Shape] : [first.Shape, second.Shape];
        if (ElementwiseRules.Violation(op, count, shapes) is { } violation)
        {
            throw new ArgumentException($"Element-wise {ElementwiseRules.Name(op)}: {violation}", nameof(first));
        }

        return (int)ElementwiseRules.Rows(count, shapes);
    }

    /// <summary>Column by column: each operand is a run of the column's length or one value for the whole column.</summary>
    private static void Run<T, TOperator>(Span<T> target, int rows, ElementwiseInput<T> first, ElementwiseInput<T> second)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IElementwiseOperator<T>
    {
        var columns = target.Length / rows;
        for (var j = 0; j < columns; j++)
        {
            var column = target.Slice(j * rows, rows);
            Column<T, TOperator>(column, Part(first, j, rows), Part(second, j, rows));
        }
    }

    /// <summary>The part of an operand that column <paramref name="j"/> reads.</summary>
    private static ColumnInput<T> Part<T>(ElementwiseInput<T> input, int j, int rows)
        where T : unmanaged, IFloatingPointIeee754<T> => input.Kind switch
        {
            ElementwiseOperandKind.Span => new ColumnInput<T>(input.Values.Slice(j * rows, rows), default),
            ElementwiseOperandKind.PerRow => new ColumnInput<T>(input.Values, default),
            ElementwiseOperandKind.PerColumn => new ColumnInput<T>(default, input.Values[j]),
            _ => new ColumnInput<T>(default, input.Scalar),
        };

    private static void Column<T, TOperator>(Span<T> column, ColumnInput<T> a, ColumnInput<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : struct, IElementwiseOperator<T>
    {
        ref var t = ref MemoryMarshal.GetReference(column);
        var i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var lanes = Vector256<T>.Count;
            Vector256<T> scalarA = Vector256.Create(a.Scalar), scalarB = Vector256.Create(b.Scalar);
            for (; i <= column.Length - lanes; i += lanes)
            {
                var at = (nuint)i;
                var va = a.IsScalar ? scalarA : Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(a.Values), at);
                var vb = b.IsScalar ? scalarB : Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(b.Values), at);
                TOperator.Apply(Vector256.LoadUnsafe(ref t, at), va, vb).StoreUnsafe(ref t, at);
            }
        }

        for (; i < column.Length; i++)
        {
            ref var element = ref Unsafe.Add(ref t, i);
            element = TOperator.Apply(element, a.IsScalar ? a.Scalar : a.Values[i], b.IsScalar ? b.Scalar : b.Values[i]);
        }
    }

    /// <summary>What one operand gives one column: a run of its length, or one value (<see cref="IsScalar"/>).</summary>
    private readonly ref struct ColumnInput<T>(ReadOnlySpan<T> values, T scalar)
        where T : unmanaged
    {
        public ReadOnlySpan<T> Values { get; } = values;

        public T Scalar { get; } = scalar;

        public bool IsScalar => Values.IsEmpty;
    }
}
