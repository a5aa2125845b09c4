namespace Swatop.Core.Layouts;

/// <summary>A scalar variable, bound by the <see cref="IIndexScope"/> the expression is evaluated in.</summary>
/// <param name="Name">Its name, a C identifier.</param>
public sealed record IndexVariable(string Name) : IndexExpression;
