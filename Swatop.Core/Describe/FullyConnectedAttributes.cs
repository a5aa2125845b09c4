namespace Swatop.Core;

/// <summary>
/// The attributes of a fully connected layer <c>Y[b][o] = sum_i X[b][i] * W[o][i]</c> (the
/// PyTorch <c>Linear</c> layout, without bias), as built by <see cref="Operator.FullyConnected"/>.
/// Checked when created.
/// </summary>
/// <param name="Batch">The rows of X and Y.</param>
/// <param name="InFeatures">The columns of X and W.</param>
/// <param name="OutFeatures">The rows of W, the columns of Y.</param>
public sealed record FullyConnectedAttributes(int Batch, int InFeatures, int OutFeatures) : OperatorAttributes
{
    private readonly bool checkedValues = Check(Batch, InFeatures, OutFeatures);

    /// <summary>The rows of X and Y.</summary>
    public int Batch { get; } = Batch;

    /// <summary>The columns of X and W.</summary>
    public int InFeatures { get; } = InFeatures;

    /// <summary>The rows of W, the columns of Y.</summary>
    public int OutFeatures { get; } = OutFeatures;

    /// <inheritdoc />
    internal override string Signature => $"fc b={Batch} in={InFeatures} out={OutFeatures}";

    /// <summary>Checks the sizes with the builder's parameter names.</summary>
    internal static bool Check(int batch, int inFeatures, int outFeatures)
    {
        DescribeGuard.Size(batch, nameof(batch), "batch size");
        DescribeGuard.Size(inFeatures, nameof(inFeatures), "input feature count");
        DescribeGuard.Size(outFeatures, nameof(outFeatures), "output feature count");
        DescribeGuard.ElementCount(nameof(inFeatures), "X", batch, inFeatures);
        DescribeGuard.ElementCount(nameof(outFeatures), "W", outFeatures, inFeatures);
        DescribeGuard.ElementCount(nameof(outFeatures), "Y", batch, outFeatures);
        return true;
    }
}
