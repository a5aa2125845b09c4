namespace Swatop.Core.Layouts;

/// <summary>C's conditional: <c>Condition ? WhenTrue : WhenFalse</c>; only the branch taken is evaluated.</summary>
/// <param name="Condition">Non-zero for <paramref name="WhenTrue"/>.</param>
/// <param name="WhenTrue">The value when the condition holds.</param>
/// <param name="WhenFalse">The value otherwise.</param>
public sealed record IndexConditional(IndexExpression Condition, IndexExpression WhenTrue, IndexExpression WhenFalse) : IndexExpression;
