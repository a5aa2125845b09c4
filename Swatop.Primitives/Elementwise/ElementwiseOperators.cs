using System.Numerics;
using System.Runtime.Intrinsics;

namespace Swatop.Primitives;

/// <summary>
/// One element-wise operation as a lane-wise function, for the generic driver of
/// <see cref="ElementwiseKernel"/> (the <c>TensorPrimitives</c> operator pattern): the scalar and the
/// vector form compute the same bits in every lane.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IElementwiseOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The new value of an element <paramref name="t"/> with operands <paramref name="a"/> and <paramref name="b"/>.</summary>
    static abstract T Apply(T t, T a, T b);

    /// <summary>The same, lane by lane.</summary>
    static abstract Vector256<T> Apply(Vector256<T> t, Vector256<T> a, Vector256<T> b);
}

/// <summary><c>t + a</c>.</summary>
internal readonly struct AddOperator<T> : IElementwiseOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T t, T a, T b) => t + a;

    public static Vector256<T> Apply(Vector256<T> t, Vector256<T> a, Vector256<T> b) => t + a;
}

/// <summary><c>t * a</c>.</summary>
internal readonly struct MultiplyOperator<T> : IElementwiseOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T t, T a, T b) => t * a;

    public static Vector256<T> Apply(Vector256<T> t, Vector256<T> a, Vector256<T> b) => t * a;
}

/// <summary><c>t / a</c>.</summary>
internal readonly struct DivideOperator<T> : IElementwiseOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T t, T a, T b) => t / a;

    public static Vector256<T> Apply(Vector256<T> t, Vector256<T> a, Vector256<T> b) => t / a;
}

/// <summary><c>t &lt; a ? a : t</c>.</summary>
internal readonly struct MaximumOperator<T> : IElementwiseOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T t, T a, T b) => t < a ? a : t;

    public static Vector256<T> Apply(Vector256<T> t, Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(Vector256.LessThan(t, a), a, t);
}

/// <summary><c>a &lt; t ? a : t</c>.</summary>
internal readonly struct MinimumOperator<T> : IElementwiseOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T t, T a, T b) => a < t ? a : t;

    public static Vector256<T> Apply(Vector256<T> t, Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(Vector256.LessThan(a, t), a, t);
}

/// <summary>The maximum with <c>a</c>, then the minimum with <c>b</c>.</summary>
internal readonly struct ClampOperator<T> : IElementwiseOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T t, T a, T b) => MinimumOperator<T>.Apply(MaximumOperator<T>.Apply(t, a, b), b, b);

    public static Vector256<T> Apply(Vector256<T> t, Vector256<T> a, Vector256<T> b) => MinimumOperator<T>.Apply(MaximumOperator<T>.Apply(t, a, b), b, b);
}
