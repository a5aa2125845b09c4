namespace Swatop.Primitives;

/// <summary>The element types Swatop's primitives compute on.</summary>
public enum ElementType
{
    /// <summary>IEEE 754 binary32 (<c>float</c>).</summary>
    Float32,

    /// <summary>IEEE 754 binary64 (<c>double</c>).</summary>
    Float64,
}
