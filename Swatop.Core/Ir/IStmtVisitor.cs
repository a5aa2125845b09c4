namespace Swatop.Core.Ir;

/// <summary>
/// A consumer of every kind of <see cref="Stmt"/>: <see cref="Stmt.Accept(IStmtVisitor)"/> calls the
/// <c>Visit</c> overload of the statement's own type, so a consumer that implements this interface
/// handles each kind explicitly, and a new kind of statement is a compile error in every consumer
/// until it handles it too.
/// </summary>
public interface IStmtVisitor
{
    /// <summary>Visits a block.</summary>
    void Visit(Block block);

    /// <summary>Visits a loop.</summary>
    void Visit(ForLoop forLoop);

    /// <summary>Visits a conditional.</summary>
    void Visit(Conditional branch);

    /// <summary>Visits a binding.</summary>
    void Visit(Let let);

    /// <summary>Visits a fill.</summary>
    void Visit(Fill fill);

    /// <summary>Visits an element-wise operation.</summary>
    void Visit(Elementwise elementwise);

    /// <summary>Visits an exponential.</summary>
    void Visit(Exponential exponential);

    /// <summary>Visits an LDM transpose.</summary>
    void Visit(Transpose transpose);

    /// <summary>Visits a multiply-accumulate.</summary>
    void Visit(MultiplyAccumulate multiplyAccumulate);

    /// <summary>Visits a reply reset.</summary>
    void Visit(ResetReply reset);

    /// <summary>Visits a DMA get.</summary>
    void Visit(DmaGet dmaGet);

    /// <summary>Visits a DMA put.</summary>
    void Visit(DmaPut dmaPut);

    /// <summary>Visits a tile transfer.</summary>
    void Visit(TileDma tile);

    /// <summary>Visits a DMA wait.</summary>
    void Visit(DmaWait wait);

    /// <summary>Visits a mesh GEMM.</summary>
    void Visit(MeshGemm gemm);

    /// <summary>Visits a swap of buffer halves.</summary>
    void Visit(Swap swap);
}

/// <summary>
/// A consumer of every kind of <see cref="Stmt"/> that computes a <typeparamref name="TResult"/> from
/// each (a rewritten statement, an instruction, a fact): the result-returning form of
/// <see cref="IStmtVisitor"/>, reached through <see cref="Stmt.Accept{TResult}(IStmtVisitor{TResult})"/>.
/// </summary>
/// <typeparam name="TResult">What a visit computes.</typeparam>
public interface IStmtVisitor<out TResult>
{
    /// <summary>Visits a block.</summary>
    TResult Visit(Block block);

    /// <summary>Visits a loop.</summary>
    TResult Visit(ForLoop forLoop);

    /// <summary>Visits a conditional.</summary>
    TResult Visit(Conditional branch);

    /// <summary>Visits a binding.</summary>
    TResult Visit(Let let);

    /// <summary>Visits a fill.</summary>
    TResult Visit(Fill fill);

    /// <summary>Visits an element-wise operation.</summary>
    TResult Visit(Elementwise elementwise);

    /// <summary>Visits an exponential.</summary>
    TResult Visit(Exponential exponential);

    /// <summary>Visits an LDM transpose.</summary>
    TResult Visit(Transpose transpose);

    /// <summary>Visits a multiply-accumulate.</summary>
    TResult Visit(MultiplyAccumulate multiplyAccumulate);

    /// <summary>Visits a reply reset.</summary>
    TResult Visit(ResetReply reset);

    /// <summary>Visits a DMA get.</summary>
    TResult Visit(DmaGet dmaGet);

    /// <summary>Visits a DMA put.</summary>
    TResult Visit(DmaPut dmaPut);

    /// <summary>Visits a tile transfer.</summary>
    TResult Visit(TileDma tile);

    /// <summary>Visits a DMA wait.</summary>
    TResult Visit(DmaWait wait);

    /// <summary>Visits a mesh GEMM.</summary>
    TResult Visit(MeshGemm gemm);

    /// <summary>Visits a swap of buffer halves.</summary>
    TResult Visit(Swap swap);
}
