using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Swatop.Primitives;

namespace Swatop.Core;

/// <summary>
/// A kernel's output set against the reference (<see cref="GemmEvaluator"/>): each element must lie
/// within <see cref="Tolerance"/> times the sum of the magnitudes of its products, the bound that
/// summing in another order (as every schedule does) or rounding to float once can reach. The
/// comparison runs block by block beside the reference, so it holds no full-size copy of anything.
/// </summary>
/// <param name="Elements">The output elements compared.</param>
/// <param name="Mismatches">How many lie outside the bound.</param>
/// <param name="WorstIndex">The flat index of the element with the largest error relative to its bound (elements within the bound of their own value are not ranked).</param>
/// <param name="Actual">That element's value in the kernel's output.</param>
/// <param name="Expected">That element's reference value.</param>
/// <param name="WorstError">Its error over the sum of magnitudes of its products.</param>
/// <param name="Tolerance">The largest relative error accepted.</param>
public sealed record ReferenceComparison(long Elements, long Mismatches, long WorstIndex, double Actual, double Expected, double WorstError, double Tolerance)
{
    /// <summary>Whether every element lies within the bound.</summary>
    public bool Passed => Mismatches == 0;

    /// <summary>
    /// The relative error accepted for <paramref name="type"/> when <paramref name="terms"/> products
    /// are summed: float results are rounded once from double (2^-24), double sums may differ by a
    /// rounding per term (2^-53 each), with a floor of 1e-13.
    /// </summary>
    public static double ToleranceFor(ElementType type, long terms) =>
        type == ElementType.Float32 ? 1e-6 : Math.Max(1e-13, 4.0 * Math.Max(1, terms) * Math.Pow(2, -53));

    /// <summary>Compares <paramref name="actual"/> with the reference value of <paramref name="expression"/> on the operands.</summary>
    /// <typeparam name="T">The element type of the tensors: float or double.</typeparam>
    /// <param name="expression">The contraction the kernel computes.</param>
    /// <param name="type">The kernel's element type, which sets the tolerance.</param>
    /// <param name="left">The left operand, row-major.</param>
    /// <param name="right">The right operand, row-major.</param>
    /// <param name="actual">The kernel's output, row-major.</param>
    /// <exception cref="ArgumentException">An array's length is not its tensor's element count.</exception>
    public static ReferenceComparison Compare<T>(Contraction expression, ElementType type, T[] left, T[] right, T[] actual)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        return Compare(expression, type, left, right, () => actual, actual.Length, null);
    }

    /// <summary>The comparison, the kernel's output read through <paramref name="actual"/> (<paramref name="length"/> elements, row-major), with <paramref name="epilogue"/> (when not null) giving each expected element and the magnitude it adds from the contraction's value and the output offset.</summary>
    private static ReferenceComparison Compare<T>(Contraction expression, ElementType type, T[] left, T[] right, OutputValues<T> actual, int length, Func<double, long, (double Value, double Magnitude)>? epilogue)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(expression);
        ReferenceEvaluator.CheckLength(length, expression.Output.Tensor, nameof(actual));
        var terms = expression.ReductionAxes.Aggregate(1L, (product, axis) => product * axis.Extent);
        var tolerance = ToleranceFor(type, terms);
        var gate = new object();
        long mismatches = 0, worst = 0;
        double worstError = 0, worstExpected = 0;
        GemmEvaluator.Visit(expression, left, right, block =>
        {
            var values = actual();
            long blockMismatches = 0, blockWorst = 0;
            double blockError = -1, blockExpected = 0;
            for (var j = 0; j < block.Columns; j++)
            {
                for (var i = 0; i < block.Rows; i++)
                {
                    var offset = block.OutputOffset(i, j);
                    var expected = block.C[i + (j * block.Rows)];
                    var added = 0.0;
                    if (epilogue is not null)
                    {
                        (expected, added) = epilogue(expected, offset);
                    }

                    var difference = Math.Abs(double.CreateTruncating(values[(int)offset]) - expected);
                    if (difference == 0 || difference <= tolerance * Math.Abs(expected))
                    {
                        // Within the bound of its own magnitude, so within the bound of the sum of magnitudes too.
                        continue;
                    }

                    var error = difference / (block.Magnitude(i, j) + added + double.Epsilon);
                    error = double.IsNaN(error) ? double.PositiveInfinity : error;
                    blockMismatches += error > tolerance ? 1 : 0;
                    if (error > blockError)
                    {
                        (blockWorst, blockError, blockExpected) = (offset, error, expected);
                    }
                }
            }

            lock (gate)
            {
                mismatches += blockMismatches;
                if (blockError > worstError || (blockError == worstError && blockError >= 0 && blockWorst < worst))
                {
                    (worst, worstError, worstExpected) = (blockWorst, blockError, blockExpected);
                }
            }
        });
        return new ReferenceComparison(length, mismatches, worst, length == 0 ? 0 : double.CreateTruncating(actual()[(int)worst]), worstExpected, worstError, tolerance);
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with the reference value of the operator <paramref name="spec"/>: its
    /// contraction, then its epilogue applied in the element type (<see cref="EpilogueEvaluator"/>). Each element's
    /// bound is the tolerance times the sum of the magnitudes of its products, of the epilogue's addends and of the
    /// values between its steps: a clip moves no error, an add moves it and rounds once more.
    /// </summary>
    /// <typeparam name="T">The element type of the tensors: float or double.</typeparam>
    /// <param name="spec">The operator the kernel computes.</param>
    /// <param name="inputs">Its inputs in the order of <see cref="OperatorSpec.Inputs"/>: left, right, then the epilogue's tensors.</param>
    /// <param name="actual">The kernel's output, row-major.</param>
    /// <exception cref="ArgumentException">There are not as many inputs as the operator takes, or an array's length is not its tensor's element count.</exception>
    public static ReferenceComparison Compare<T>(OperatorSpec spec, IReadOnlyList<T[]> inputs, T[] actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        return Compare(spec, inputs, () => actual, actual.Length);
    }

    /// <summary>
    /// Compares the dense tensor <paramref name="actual"/> (a kernel run's output, as <see cref="Targets.KernelRun{T}.Output"/>
    /// holds it) with the reference value of <paramref name="spec"/>, as <see cref="Compare{T}(OperatorSpec, IReadOnlyList{T[]}, T[])"/>
    /// does, reading the tensor's elements where they lie: no copy of the output is made.
    /// </summary>
    /// <typeparam name="T">The element type of the tensors: float or double.</typeparam>
    /// <param name="spec">The operator the kernel computes.</param>
    /// <param name="inputs">Its inputs in the order of <see cref="OperatorSpec.Inputs"/>: left, right, then the epilogue's tensors.</param>
    /// <param name="actual">The kernel's output, dense.</param>
    /// <exception cref="ArgumentException">There are not as many inputs as the operator takes, an array's length is not its tensor's element count, or <paramref name="actual"/> is not dense.</exception>
    public static ReferenceComparison Compare<T>(OperatorSpec spec, IReadOnlyList<T[]> inputs, Tensor<T> actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (!actual.IsDense || actual.FlattenedLength > Array.MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"actual: a tensor of {actual.FlattenedLength} elements ({(actual.IsDense ? "dense" : "strided")}); the output compared must be dense and at most {Array.MaxLength} elements, as a kernel run's output is."), nameof(actual));
        }

        // A dense tensor's elements lie in order from its first one.
        var length = (int)actual.FlattenedLength;
        return Compare(spec, inputs, () => length == 0 ? [] : MemoryMarshal.CreateReadOnlySpan(ref actual.GetPinnableReference(), length), length);
    }

    private static ReferenceComparison Compare<T>(OperatorSpec spec, IReadOnlyList<T[]> inputs, OutputValues<T> actual, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count < 2)
        {
            throw new ArgumentException($"inputs.Count = {inputs.Count}: the operator takes {string.Join(", ", spec.Inputs)}.", nameof(inputs));
        }

        var epilogue = EpilogueEvaluator.For(spec, [.. inputs.Skip(2)]);
        return Compare(spec.Expression, spec.ElementType, inputs[0], inputs[1], actual, length, spec.Epilogue.IsEmpty ? null : (value, offset) =>
        {
            var result = epilogue.Apply(T.CreateTruncating(value), offset, out var magnitude);
            return (double.CreateTruncating(result), magnitude);
        });
    }

    /// <summary>
    /// Compares the output of a kernel scheduled by <paramref name="schedule"/> with the reference: within
    /// Winograd's own bound for a schedule of either Winograd algorithm (<see cref="Algorithms.Winograd.WinogradComparison"/>), within the
    /// summation-order bound of <see cref="Compare{T}(OperatorSpec, IReadOnlyList{T[]}, T[])"/> otherwise.
    /// </summary>
    /// <typeparam name="T">The element type of the tensors: float or double.</typeparam>
    /// <param name="spec">The operator the kernel computes.</param>
    /// <param name="schedule">The kernel's schedule.</param>
    /// <param name="inputs">Its inputs in the order of <see cref="OperatorSpec.Inputs"/>.</param>
    /// <param name="actual">The kernel's output, row-major.</param>
    public static ReferenceComparison Compare<T>(OperatorSpec spec, Scheduling.Schedule schedule, IReadOnlyList<T[]> inputs, T[] actual)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WinogradTile(schedule) is { } tile
            ? Algorithms.Winograd.WinogradComparison.Compare(spec, tile, inputs, actual)
            : Compare(spec, inputs, actual);

    /// <summary>The output tile of a Winograd schedule (either variant); <see langword="null"/> for another algorithm's.</summary>
    private static int? WinogradTile(Scheduling.Schedule schedule) => schedule switch
    {
        Algorithms.Winograd.WinogradSchedule winograd => winograd.OutputTile,
        Algorithms.WinogradMesh.WinogradMeshSchedule fused => fused.OutputTile,
        Algorithms.WinogradGemm.WinogradGemmSchedule composite => composite.OutputTile,
        _ => null,
    };

    /// <summary>
    /// Compares the dense tensor <paramref name="actual"/> from a kernel scheduled by <paramref name="schedule"/> with the
    /// reference, as <see cref="Compare{T}(OperatorSpec, Scheduling.Schedule, IReadOnlyList{T[]}, T[])"/> does; the
    /// summation-order bound reads the tensor where it lies (<see cref="Compare{T}(OperatorSpec, IReadOnlyList{T[]}, Tensor{T})"/>).
    /// </summary>
    /// <typeparam name="T">The element type of the tensors: float or double.</typeparam>
    /// <param name="spec">The operator the kernel computes.</param>
    /// <param name="schedule">The kernel's schedule.</param>
    /// <param name="inputs">Its inputs in the order of <see cref="OperatorSpec.Inputs"/>.</param>
    /// <param name="actual">The kernel's output, dense.</param>
    public static ReferenceComparison Compare<T>(OperatorSpec spec, Scheduling.Schedule schedule, IReadOnlyList<T[]> inputs, Tensor<T> actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (WinogradTile(schedule) is null)
        {
            return Compare(spec, inputs, actual);
        }

        var values = new T[actual.FlattenedLength];
        actual.FlattenTo(values);
        return Compare(spec, schedule, inputs, values);
    }

    /// <summary>The output's elements, row-major, as a span read where they lie (a span cannot be held across the reference's blocks).</summary>
    private delegate ReadOnlySpan<T> OutputValues<T>();

    /// <summary>One line: <c>ok</c> with the bound, or how many elements differ and the worst of them.</summary>
    public override string ToString() => Passed
        ? string.Create(CultureInfo.InvariantCulture, $"ok: {Elements} elements within {Tolerance:G3} of the sums of their products' magnitudes")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Mismatches} of {Elements} elements differ from the reference; the worst, element {WorstIndex}, is {Actual:R} instead of {Expected:R} (relative error {WorstError:G3}, bound {Tolerance:G3})");
}
