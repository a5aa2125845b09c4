namespace Swatop.Core.Layouts;

/// <summary>
/// What an <see cref="IndexExpression"/> is evaluated in: the values of its variables and the
/// elements of its arrays. A scope may be a <see langword="ref struct"/> over spans.
/// </summary>
public interface IIndexScope
{
    /// <summary>The value of the scalar variable <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The scope does not bind <paramref name="name"/>.</exception>
    long Variable(string name);

    /// <summary>Element <paramref name="subscript"/> of the array <paramref name="array"/>.</summary>
    /// <exception cref="ArgumentException">The scope does not bind <paramref name="array"/>.</exception>
    long Element(string array, long subscript);
}
