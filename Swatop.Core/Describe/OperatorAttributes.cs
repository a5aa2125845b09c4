namespace Swatop.Core;

/// <summary>
/// The kind-specific attributes of an <see cref="OperatorSpec"/>: sizes, layouts, stride, padding
/// and the like. One sealed record per <see cref="OperatorKind"/>; each checks its values when
/// created, with the same rules as the builders of <see cref="Operator"/>.
/// </summary>
public abstract record OperatorAttributes
{
    /// <summary>Only the attributes of this assembly derive from this record.</summary>
    private protected OperatorAttributes()
    {
    }

    /// <summary>The canonical, deterministic text of the attributes, without the element type.</summary>
    internal abstract string Signature { get; }
}
