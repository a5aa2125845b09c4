using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// A tensor contraction, the tensor expression every operator is defined by:
/// <c>Output[...] = sum over ReductionAxes of Left[...] * Right[...]</c>, for every point of the
/// index axes. Reads outside a tensor's bounds are zero. Created through <see cref="Create"/>,
/// which checks the rules of <see cref="DescribeDiagnostics"/>; compared by value.
/// </summary>
public sealed record Contraction
{
    private Contraction(
        string name,
        ImmutableArray<Axis> indexAxes,
        ImmutableArray<Axis> reductionAxes,
        TensorAccess output,
        TensorAccess left,
        TensorAccess right)
    {
        Name = name;
        IndexAxes = indexAxes;
        ReductionAxes = reductionAxes;
        Output = output;
        Left = left;
        Right = right;
        long points = 2;
        foreach (var a in indexAxes.Concat(reductionAxes))
        {
            points = DescribeGuard.Multiply(points, a.Extent, nameof(reductionAxes), "the flop count");
        }

        Flops = points;
    }

    /// <summary>The contraction's name, a C identifier (it names the kernel).</summary>
    public string Name { get; }

    /// <summary>The axes of the output's index space, in declared order.</summary>
    public ImmutableArray<Axis> IndexAxes { get; }

    /// <summary>The axes summed over, in declared order (the first is the outermost loop of the reference).</summary>
    public ImmutableArray<Axis> ReductionAxes { get; }

    /// <summary>The output access: an exact bijection of the index axes onto the output tensor.</summary>
    public TensorAccess Output { get; }

    /// <summary>The left input operand.</summary>
    public TensorAccess Left { get; }

    /// <summary>The right input operand.</summary>
    public TensorAccess Right { get; }

    /// <summary>The input operands, left then right: the tensors a kernel reads.</summary>
    public IEnumerable<TensorAccess> Inputs => [Left, Right];

    /// <summary>All axes: the index axes, then the reduction axes.</summary>
    public IEnumerable<Axis> Axes => IndexAxes.Concat(ReductionAxes);

    /// <summary>The floating-point operations: two (a multiply and an add) per point of the iteration space.</summary>
    public long Flops { get; }

    /// <summary>The three tensors: output, left and right.</summary>
    public IEnumerable<TensorDeclaration> Tensors => [Output.Tensor, Left.Tensor, Right.Tensor];

    /// <summary>Creates a contraction and checks it.</summary>
    /// <param name="name">The contraction's name, a C identifier.</param>
    /// <param name="indexAxes">The output's index axes, each of kind <see cref="AxisKind.Index"/>.</param>
    /// <param name="reductionAxes">The axes summed over, each of kind <see cref="AxisKind.Reduction"/>.</param>
    /// <param name="output">The output access: each dimension a mixed-radix combination of index axes, covering it exactly.</param>
    /// <param name="left">The left operand, depending on at least one reduction axis.</param>
    /// <param name="right">The right operand, depending on at least one reduction axis.</param>
    /// <returns>The contraction.</returns>
    /// <exception cref="OperatorDescriptionException">A rule of <see cref="DescribeDiagnostics"/> is broken.</exception>
    public static Contraction Create(
        string name,
        IEnumerable<Axis> indexAxes,
        IEnumerable<Axis> reductionAxes,
        TensorAccess output,
        TensorAccess left,
        TensorAccess right)
    {
        DescribeGuard.Identifier(name, nameof(name), "contraction");
        ArgumentNullException.ThrowIfNull(indexAxes);
        ArgumentNullException.ThrowIfNull(reductionAxes);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var index = indexAxes.ToImmutableArray();
        var reduction = reductionAxes.ToImmutableArray();
        ContractionRules.Check(index, reduction, output, left, right);
        return new Contraction(name, index, reduction, output, left, right);
    }

    /// <summary>The axis of the given name.</summary>
    /// <param name="name">The axis name.</param>
    /// <returns>The axis.</returns>
    /// <exception cref="KeyNotFoundException">The contraction has no axis of that name.</exception>
    public Axis Axis(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return FindAxis(name)
            ?? throw new KeyNotFoundException(
                $"Contraction '{Name}' has no axis named '{name}'; its axes are {string.Join(", ", Axes.Select(a => a.Name))}.");
    }

    /// <summary>The axis of the given name, or null.</summary>
    /// <param name="name">The axis name.</param>
    /// <returns>The axis, or null when there is none of that name.</returns>
    public Axis? FindAxis(string name) => Axes.FirstOrDefault(a => a.Name == name);

    /// <summary>The access of <paramref name="tensor"/> (the output's, else the first input's that names it), or null.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The access, or null when no access names the tensor.</returns>
    public TensorAccess? AccessOf(TensorDeclaration tensor) =>
        Output.Tensor.Equals(tensor) ? Output : Left.Tensor.Equals(tensor) ? Left : Right.Tensor.Equals(tensor) ? Right : null;

    /// <summary>True when both have the same name, axes and accesses.</summary>
    /// <param name="other">The other contraction.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(Contraction? other) =>
        other is not null
        && Name == other.Name
        && IndexAxes.SequenceEqual(other.IndexAxes)
        && ReductionAxes.SequenceEqual(other.ReductionAxes)
        && Output.Equals(other.Output)
        && Left.Equals(other.Left)
        && Right.Equals(other.Right);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Output, Left, Right);

    /// <summary>
    /// Prints the contraction as one deterministic line, such as
    /// <c>gemm: C[m][n] = sum(k) A[m][k] * B[k][n] for m:2 n:3 k:4(r)</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{Name}: {Output} = sum({string.Join(", ", ReductionAxes.Select(a => a.Name))}) {Left} * {Right} "
        + $"for {string.Join(" ", Axes)}; tensors {string.Join(" ", Tensors)}";
}
