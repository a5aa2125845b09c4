using System.Collections.Immutable;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// A DMA get group: the contiguous statements <c>reset r; gets on r; wait r</c>, where the gets are
/// <see cref="DmaGet"/> or get <see cref="TileDma"/> statements on reply r, possibly inside loops, lets
/// and conditionals that hold nothing else.
/// </summary>
/// <param name="Reply">The reply word.</param>
/// <param name="Issues">The reset and the gets, without the wait.</param>
/// <param name="Length">The number of statements of the group, the wait included.</param>
/// <param name="Buffers">The buffers the gets write, in order of first appearance.</param>
internal sealed record GetGroup(string Reply, ImmutableArray<Stmt> Issues, int Length, ImmutableArray<string> Buffers)
{
    /// <summary>The group's statements: the issues, then the wait.</summary>
    public IEnumerable<Stmt> Statements => Issues.Append(new DmaWait(Reply));

    /// <summary>The group that starts at <paramref name="start"/> of <paramref name="statements"/>, or <see langword="null"/>.</summary>
    public static GetGroup? Match(ImmutableArray<Stmt> statements, int start)
    {
        if (start >= statements.Length || statements[start] is not ResetReply reset)
        {
            return null;
        }

        var end = start + 1;
        while (end < statements.Length && IsGetsOn(statements[end], reset.Reply))
        {
            end++;
        }

        if (end >= statements.Length || statements[end] is not DmaWait wait || wait.Reply != reset.Reply)
        {
            return null;
        }

        var issues = statements[start..end];
        var buffers = issues.SelectMany(StatementFacts.Leaves).Select(StatementFacts.WrittenBuffer).OfType<string>().Distinct().ToImmutableArray();
        return new GetGroup(reset.Reply, issues, end - start + 1, buffers);
    }

    /// <summary>The statements of a body, a lone statement counting as a block of one.</summary>
    public static ImmutableArray<Stmt> StatementsOf(Stmt body) => body is Block block ? block.Statements : [body];

    private static bool IsGetsOn(Stmt statement, string reply) => statement switch
    {
        DmaGet get => get.Reply == reply,
        TileDma { Direction: DmaDirection.Get } tile => tile.Reply == reply,
        ForLoop loop => IsGetsOn(loop.Body, reply),
        Let let => IsGetsOn(let.Body, reply),
        Conditional branch => IsGetsOn(branch.Then, reply) && (branch.Else is null || IsGetsOn(branch.Else, reply)),
        Block block => block.Statements.All(s => IsGetsOn(s, reply)),
        _ => false,
    };
}
