using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Swatop.Primitives;

/// <summary>
/// The handful of vector operations the GEMM driver needs, as static members so that a
/// <see langword="readonly struct"/> implementation specializes and inlines into the driver.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TVector">The vector of <typeparamref name="T"/> the implementation works on.</typeparam>
internal interface IGemmVectorOps<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    /// <summary>Lanes in a vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads a vector from <paramref name="source"/> + <paramref name="offset"/> elements.</summary>
    static abstract TVector Load(ref T source, nint offset);

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/> + <paramref name="offset"/> elements.</summary>
    static abstract void Store(TVector value, ref T destination, nint offset);

    /// <summary>A vector with every lane set to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(T value);

    /// <summary>Lane-wise fused <c>a * b + addend</c>, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    /// <summary>Scalar fused <c>a * b + addend</c>, rounded once (the lane operation of <see cref="MultiplyAdd(TVector, TVector, TVector)"/>).</summary>
    static abstract T MultiplyAdd(T a, T b, T addend);
}

/// <summary>Eight <see cref="double"/> lanes in a <see cref="Vector512{T}"/>.</summary>
internal readonly struct Double512Ops : IGemmVectorOps<double, Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> addend) =>
        Vector512.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double addend) => Math.FusedMultiplyAdd(a, b, addend);
}

/// <summary>Four <see cref="double"/> lanes in a <see cref="Vector256{T}"/>.</summary>
internal readonly struct Double256Ops : IGemmVectorOps<double, Vector256<double>>
{
    public static int Count => Vector256<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> addend) =>
        Vector256.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double addend) => Math.FusedMultiplyAdd(a, b, addend);
}

/// <summary>Sixteen <see cref="float"/> lanes in a <see cref="Vector512{T}"/>.</summary>
internal readonly struct Single512Ops : IGemmVectorOps<float, Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) =>
        Vector512.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float addend) => MathF.FusedMultiplyAdd(a, b, addend);
}

/// <summary>Eight <see cref="float"/> lanes in a <see cref="Vector256{T}"/>.</summary>
internal readonly struct Single256Ops : IGemmVectorOps<float, Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Vector256.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float addend) => MathF.FusedMultiplyAdd(a, b, addend);
}
