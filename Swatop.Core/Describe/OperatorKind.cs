namespace Swatop.Core;

/// <summary>The kind of an <see cref="OperatorSpec"/>: which builder of <see cref="Operator"/> made it.</summary>
public enum OperatorKind
{
    /// <summary>A (batched) matrix product, <see cref="Operator.Gemm"/>.</summary>
    Gemm,

    /// <summary>A fully connected layer, <see cref="Operator.FullyConnected"/>.</summary>
    FullyConnected,

    /// <summary>A two-dimensional convolution, <see cref="Operator.Conv2d"/>.</summary>
    Conv2d,

    /// <summary>A contraction defined directly, <see cref="Operator.Define"/>.</summary>
    Custom,
}
