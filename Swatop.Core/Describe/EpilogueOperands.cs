using System.Collections.Immutable;

namespace Swatop.Core;

/// <summary>
/// The tensors of an operator's epilogue: which output axis carries the channels a bias is indexed by, how
/// each epilogue tensor is read by an output element, and the checks that put an epilogue on an operator.
/// </summary>
internal static class EpilogueOperands
{
    /// <summary>
    /// The name of the axis of <paramref name="spec"/>'s output channels: a convolution's <c>co</c>, a GEMM's or a
    /// fully connected layer's column <c>n</c>; null for a custom contraction, which has no channels.
    /// </summary>
    public static string? ChannelAxis(OperatorSpec spec) => spec.Kind switch
    {
        OperatorKind.Conv2d => "co",
        OperatorKind.Gemm or OperatorKind.FullyConnected => "n",
        _ => null,
    };

    /// <summary>The dimension of the output that carries the channels, or -1 when there is none.</summary>
    public static int ChannelDimension(OperatorSpec spec)
    {
        var output = spec.Expression.Output;
        return ChannelAxis(spec) is { } name && spec.Expression.FindAxis(name) is { } axis
            ? output.Indices.IndexOf(output.Indices.First(index => index.DependsOn(axis)))
            : -1;
    }

    /// <summary>The epilogue's tensors as an output element reads them, in the order of its steps.</summary>
    public static ImmutableArray<TensorAccess> Accesses(OperatorSpec spec)
    {
        var output = spec.Expression.Output;
        var accesses = ImmutableArray.CreateBuilder<TensorAccess>();
        foreach (var step in spec.Epilogue.Steps)
        {
            switch (step)
            {
                case BiasStep:
                    var d = ChannelDimension(spec);
                    if (d < 0)
                    {
                        throw new InvalidOperationException($"The operator {spec.Expression.Name} has no channel axis for its bias; {nameof(Bind)} refuses such an epilogue.");
                    }

                    accesses.Add(new TensorAccess(TensorDeclaration.Create(BiasStep.Name, output.Tensor.Shape[d]), [output.Indices[d]]));
                    break;
                case ResidualAddStep:
                    accesses.Add(new TensorAccess(new TensorDeclaration(ResidualAddStep.Name, output.Tensor.Shape), output.Indices));
                    break;
            }
        }

        return accesses.ToImmutable();
    }

    /// <summary>Checks <paramref name="epilogue"/> against <paramref name="spec"/> and gives it in canonical form (residual shapes checked and dropped).</summary>
    public static Epilogue Bind(OperatorSpec spec, Epilogue epilogue)
    {
        var steps = new EpilogueStep[epilogue.Steps.Length];
        var output = spec.Expression.Output.Tensor;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = epilogue.Steps[i];
            var parameter = $"{nameof(epilogue)}.{nameof(Epilogue.Steps)}[{i}]";
            if (step.TensorName is { } name && spec.Expression.Tensors.Any(t => t.Name == name))
            {
                DescribeGuard.Fail(DescribeDiagnostics.EpilogueTensorNameTaken, parameter,
                    $"{parameter} = {step} reads a tensor named '{name}', but the operator's own tensors ({string.Join(", ", spec.Expression.Tensors.Select(t => t.Name))}) already use that name.");
            }

            switch (step)
            {
                case BiasStep when ChannelDimension(spec) < 0:
                    DescribeGuard.Fail(DescribeDiagnostics.EpilogueWithoutChannels, parameter,
                        $"{parameter} = {step} needs output channels to index the bias by, but the {spec.Kind} operator '{spec.Expression.Name}' has none: only a convolution (co), a GEMM or a fully connected layer (n) takes a bias.");
                    break;
                case ResidualAddStep residual when !residual.Shape.IsEmpty && !residual.Shape.SequenceEqual(output.Shape):
                    DescribeGuard.Fail(DescribeDiagnostics.EpilogueShapeMismatch, parameter,
                        $"{parameter} = {step} of shape [{string.Join("][", residual.Shape)}] cannot be added to the output {output}: the residual must have the output's shape.");
                    break;
            }

            steps[i] = step is ResidualAddStep ? EpilogueStep.ResidualAdd() : step;
        }

        return Epilogue.Of(steps);
    }
}
