namespace Swatop.Core.GraphTuning;

/// <summary>
/// Where a graph's tuning is: its distinct operators are tuned one after another (<paramref name="Operator"/>
/// of <paramref name="Operators"/>, counting from 1), then the layouts are planned and the plan's steps
/// measured (<paramref name="Operator"/> equal to <paramref name="Operators"/>, <paramref name="Stage"/> saying which).
/// </summary>
/// <param name="Operator">The distinct operator being tuned, from 1.</param>
/// <param name="Operators">The graph's distinct operators.</param>
/// <param name="Stage">What is under way: the operator's signature while it is tuned, else <c>planning layouts</c> or <c>measuring steps</c>.</param>
public sealed record GraphTuningProgress(int Operator, int Operators, string Stage);
