namespace Swatop.Core.Layouts;

/// <summary>An element of an array the <see cref="IIndexScope"/> binds: <c>Array[Subscript]</c>.</summary>
/// <param name="Array">The array's name, a C identifier.</param>
/// <param name="Subscript">Which element.</param>
public sealed record IndexElement(string Array, IndexExpression Subscript) : IndexExpression;
