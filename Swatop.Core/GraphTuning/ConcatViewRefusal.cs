namespace Swatop.Core.GraphTuning;

/// <summary>
/// Why a concatenation stays a copy (its CPE kernel, or the MPE's): the first part that cannot be written in place, or
/// the price. Its <see cref="Id"/> is one of the <c>SWG0017</c>... identifiers of <see cref="Graphs.GraphDiagnostics"/>.
/// </summary>
/// <param name="Node">The concatenation node.</param>
/// <param name="Part">The part that is refused; null when the refusal is the price.</param>
/// <param name="Id">The stable identifier of the reason.</param>
/// <param name="Message">The reason, naming the part, its producer and the rule.</param>
public sealed record ConcatViewRefusal(string Node, string? Part, string Id, string Message)
{
    /// <summary>E.g. <c>SWG0017 concat: ...</c>.</summary>
    public override string ToString() => $"{Id} {Node}: {Message}";
}
