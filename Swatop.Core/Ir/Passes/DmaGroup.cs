using System.Collections.Immutable;

namespace Swatop.Core.Ir.Passes;

/// <summary>
/// A DMA group: the contiguous statements <c>reset r; transfers on r; wait r</c>, where the transfers
/// are all gets (<see cref="DmaGet"/> or get <see cref="TileDma"/>) or all puts (<see cref="DmaPut"/>
/// or put <see cref="TileDma"/>) on reply r, possibly inside loops, lets and conditionals that hold
/// nothing else.
/// </summary>
/// <param name="Reply">The reply word.</param>
/// <param name="Issues">The reset and the transfers, without the wait.</param>
/// <param name="Length">The number of statements of the group, the wait included.</param>
/// <param name="Buffers">The LDM buffers the transfers fill (gets) or drain (puts), in order of first appearance.</param>
internal sealed record DmaGroup(string Reply, ImmutableArray<Stmt> Issues, int Length, ImmutableArray<string> Buffers)
{
    /// <summary>The group's statements: the issues, then the wait.</summary>
    public IEnumerable<Stmt> Statements => Issues.Append(new DmaWait(Reply));

    /// <summary>The group of <paramref name="direction"/> that starts at <paramref name="start"/> of <paramref name="statements"/>, or <see langword="null"/>.</summary>
    public static DmaGroup? Match(ImmutableArray<Stmt> statements, int start, DmaDirection direction)
    {
        if (start >= statements.Length || statements[start] is not ResetReply reset)
        {
            return null;
        }

        var end = start + 1;
        while (end < statements.Length && IsTransfersOn(statements[end], reset.Reply, direction))
        {
            end++;
        }

        if (end >= statements.Length || statements[end] is not DmaWait wait || wait.Reply != reset.Reply)
        {
            return null;
        }

        var issues = statements[start..end];
        var buffers = issues.SelectMany(StatementFacts.Leaves).Select(leaf => StatementFacts.WrittenBuffer(leaf) ?? StatementFacts.DrainedBuffer(leaf)).OfType<string>().Distinct().ToImmutableArray();
        return new DmaGroup(reset.Reply, issues, end - start + 1, buffers);
    }

    /// <summary>The statements of a body, a lone statement counting as a block of one.</summary>
    public static ImmutableArray<Stmt> StatementsOf(Stmt body) => body is Block block ? block.Statements : [body];

    private static bool IsTransfersOn(Stmt statement, string reply, DmaDirection direction) => statement.Accept(new TransfersOn(reply, direction));

    /// <summary>Whether a statement holds nothing but transfers of one direction on one reply word (through loops, lets, conditionals and blocks).</summary>
    private sealed class TransfersOn(string reply, DmaDirection direction) : IStmtVisitor<bool>
    {
        public bool Visit(Block block) => block.Statements.All(s => s.Accept(this));

        public bool Visit(ForLoop loop) => loop.Body.Accept(this);

        public bool Visit(Conditional branch) => branch.Then.Accept(this) && (branch.Else is null || branch.Else.Accept(this));

        public bool Visit(Let let) => let.Body.Accept(this);

        public bool Visit(Fill fill) => false;

        public bool Visit(Elementwise elementwise) => false;

        public bool Visit(Exponential exponential) => false;

        public bool Visit(Transpose transpose) => false;

        public bool Visit(MultiplyAccumulate multiplyAccumulate) => false;

        public bool Visit(ResetReply reset) => false;

        public bool Visit(DmaGet get) => direction == DmaDirection.Get && get.Reply == reply;

        public bool Visit(DmaPut put) => direction == DmaDirection.Put && put.Reply == reply;

        public bool Visit(TileDma tile) => tile.Direction == direction && tile.Reply == reply;

        public bool Visit(DmaWait wait) => false;

        public bool Visit(MeshGemm gemm) => false;

        public bool Visit(Swap swap) => false;
    }
}
