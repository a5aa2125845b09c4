namespace Swatop.Core;

/// <summary>The attributes of a <see cref="OperatorKind.Custom"/> operator: none beyond its contraction.</summary>
public sealed record CustomAttributes : OperatorAttributes
{
    /// <inheritdoc />
    internal override string Signature => "custom";
}
