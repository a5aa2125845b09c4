namespace Swatop.Core.Layouts;

/// <summary>A binary operation: <c>Left Operator Right</c>.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record IndexBinary(IndexOperator Operator, IndexExpression Left, IndexExpression Right) : IndexExpression;
