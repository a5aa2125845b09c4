using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// The rules a <see cref="Contraction"/> must satisfy, checked once at creation. Each broken rule
/// throws an <see cref="OperatorDescriptionException"/> with its identifier from
/// <see cref="DescribeDiagnostics"/>.
/// </summary>
internal static class ContractionRules
{
    /// <summary>Checks every rule, in the order of the identifiers.</summary>
    public static void Check(
        ImmutableArray<Axis> indexAxes,
        ImmutableArray<Axis> reductionAxes,
        TensorAccess output,
        TensorAccess left,
        TensorAccess right)
    {
        CheckDeclarations(indexAxes, reductionAxes);
        var declared = indexAxes.Concat(reductionAxes).ToDictionary(a => a.Name);
        CheckReferences(output, nameof(output), declared);
        CheckReferences(left, nameof(left), declared);
        CheckReferences(right, nameof(right), declared);

        foreach (var a in indexAxes.Where(a => !output.DependsOn(a)))
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.IndexAxisMissingFromOutput,
                nameof(indexAxes),
                $"indexAxes contains '{a.Name}', which the output {output} does not read: every index axis must appear in the output.");
        }

        foreach (var a in reductionAxes.Where(output.DependsOn))
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.OutputReadsReductionAxis,
                nameof(output),
                $"output = {output} reads reduction axis '{a.Name}': the output must depend on index axes only.");
        }

        CheckBijection(output);
        CheckOperand(left, nameof(left), reductionAxes);
        CheckOperand(right, nameof(right), reductionAxes);
        foreach (var a in reductionAxes.Where(a => !left.DependsOn(a) && !right.DependsOn(a)))
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.UnusedReductionAxis,
                nameof(reductionAxes),
                $"reductionAxes contains '{a.Name}', which neither left = {left} nor right = {right} reads: every reduction axis must appear in an input.");
        }
    }

    private static void CheckDeclarations(ImmutableArray<Axis> indexAxes, ImmutableArray<Axis> reductionAxes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (axes, paramName, kind) in new[] { (indexAxes, "indexAxes", AxisKind.Index), (reductionAxes, "reductionAxes", AxisKind.Reduction) })
        {
            foreach (var a in axes)
            {
                ArgumentNullException.ThrowIfNull(a, paramName);
                if (!seen.Add(a.Name))
                {
                    DescribeGuard.Fail(
                        DescribeDiagnostics.DuplicateAxisName,
                        paramName,
                        $"{paramName} declares axis '{a.Name}' a second time: axis names must be unique in a contraction.");
                }

                if (a.Kind != kind)
                {
                    DescribeGuard.Fail(
                        DescribeDiagnostics.AxisKindMismatch,
                        paramName,
                        $"{paramName} contains axis '{a.Name}' of kind {a.Kind}: every axis of {paramName} must be of kind {kind}.");
                }
            }
        }
    }

    private static void CheckReferences(TensorAccess access, string paramName, Dictionary<string, Axis> declared)
    {
        foreach (var a in access.Axes)
        {
            if (!declared.TryGetValue(a.Name, out var d))
            {
                DescribeGuard.Fail(
                    DescribeDiagnostics.UndeclaredAxis,
                    paramName,
                    $"{paramName} = {access} reads axis '{a.Name}', which is not declared: the axes are {string.Join(", ", declared.Keys)}.");
            }
            else if (!d.Equals(a))
            {
                DescribeGuard.Fail(
                    DescribeDiagnostics.UndeclaredAxis,
                    paramName,
                    $"{paramName} = {access} reads axis {a}, but the declared axis of that name is {d}: an access must read the declared axes.");
            }
        }
    }

    /// <summary>
    /// Each output dimension must be a mixed-radix number of index axes: constant zero; sorted by
    /// coefficient (ties by extent, so an axis of extent one comes first), the first coefficient is
    /// one and each next one is the previous coefficient times the previous axis's extent; the
    /// extents multiply to the dimension's size. Each index axis is read by one dimension only.
    /// </summary>
    private static void CheckBijection(TensorAccess output)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = 0; d < output.Indices.Length; d++)
        {
            var e = output.Indices[d];
            var size = output.Tensor.Shape[d];
            var where = $"output = {output}: dimension {d} (size {size}) index '{e}'";
            if (e.Constant != 0)
            {
                NotBijective($"{where} has constant {e.Constant}; output indices must have constant 0.");
            }

            long expected = 1;
            foreach (var t in e.Terms.OrderBy(t => t.Coefficient).ThenBy(t => t.Axis.Extent))
            {
                if (t.Coefficient != expected)
                {
                    NotBijective(
                        $"{where} gives '{t.Axis.Name}' coefficient {t.Coefficient} where {expected} is needed: "
                        + "sorted by coefficient, the first must be 1 and each next the previous coefficient times the previous axis's extent.");
                }

                expected *= t.Axis.Extent;
                if (expected > size)
                {
                    NotBijective($"{where} covers at least {expected} values, more than the {size} of the dimension: the product of its axes' extents must equal the size.");
                }

                if (used.TryGetValue(t.Axis.Name, out var other))
                {
                    NotBijective($"{where} reads axis '{t.Axis.Name}', which dimension {other} reads too: each index axis belongs to one output dimension.");
                }

                used[t.Axis.Name] = d;
            }

            if (expected != size)
            {
                NotBijective($"{where} covers {expected} values, not the {size} of the dimension: the product of its axes' extents must equal the size.");
            }
        }
    }

    private static void NotBijective(string message) =>
        DescribeGuard.Fail(DescribeDiagnostics.OutputNotBijective, "output", message);

    private static void CheckOperand(TensorAccess access, string paramName, ImmutableArray<Axis> reductionAxes)
    {
        if (!reductionAxes.Any(access.DependsOn))
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.OperandIgnoresReduction,
                paramName,
                $"{paramName} = {access} reads no reduction axis (of {string.Join(", ", reductionAxes.Select(a => a.Name))}): each input must depend on at least one reduction axis.");
        }
    }
}
