namespace Swatop.Core.Ir;

/// <summary>
/// Walks a statement tree in program order: <see cref="Visit(Stmt)"/> dispatches to the overload of
/// the statement's kind, which visits the statement's expressions, LDM references and inner
/// statements (the latter through <see cref="Visit(Stmt)"/> again); expressions likewise through
/// <see cref="Visit(Expr)"/>. Analyses override what they need: a kind's overload to see that kind,
/// <see cref="Visit(Stmt)"/> or <see cref="Visit(Expr)"/> to see everything.
/// </summary>
public abstract class IrVisitor : IStmtVisitor, IExprVisitor
{
    /// <summary>Visits a statement through the overload of its kind.</summary>
    public virtual void Visit(Stmt statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        statement.Accept(this);
    }

    /// <summary>Visits an expression through the overload of its kind.</summary>
    public virtual void Visit(Expr expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        expression.Accept(this);
    }

    /// <summary>Visits an LDM reference's expressions.</summary>
    public virtual void Visit(LdmRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Visit(reference.Offset);
        Visit(reference.Count);
    }

    /// <summary>Visits the statements in order.</summary>
    public virtual void Visit(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        foreach (var inner in block.Statements)
        {
            Visit(inner);
        }
    }

    /// <summary>Visits the extent, then the body.</summary>
    public virtual void Visit(ForLoop forLoop)
    {
        ArgumentNullException.ThrowIfNull(forLoop);
        Visit(forLoop.Extent);
        Visit(forLoop.Body);
    }

    /// <summary>Visits the condition, then the arms.</summary>
    public virtual void Visit(Conditional branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        Visit(branch.Condition);
        Visit(branch.Then);
        if (branch.Else is { } otherwise)
        {
            Visit(otherwise);
        }
    }

    /// <summary>Visits the value, then the body.</summary>
    public virtual void Visit(Let let)
    {
        ArgumentNullException.ThrowIfNull(let);
        Visit(let.Value);
        Visit(let.Body);
    }

    /// <summary>Visits the target.</summary>
    public virtual void Visit(Fill fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        Visit(fill.Target);
    }

    /// <summary>Visits the target.</summary>
    public virtual void Visit(Exponential exponential)
    {
        ArgumentNullException.ThrowIfNull(exponential);
        Visit(exponential.Target);
    }

    /// <summary>Visits the target, then the LDM operands.</summary>
    public virtual void Visit(Elementwise elementwise)
    {
        ArgumentNullException.ThrowIfNull(elementwise);
        Visit(elementwise.Target);
        foreach (var operand in elementwise.Operands)
        {
            if (operand.Source is { } source)
            {
                Visit(source);
            }
        }
    }

    /// <summary>Visits the target, the source, then the rows and the columns.</summary>
    public virtual void Visit(Transpose transpose)
    {
        ArgumentNullException.ThrowIfNull(transpose);
        Visit(transpose.Target);
        Visit(transpose.Source);
        VisitAll(transpose.Rows, transpose.Columns);
    }

    /// <summary>Visits the target, the weights, the source, then the stride and the dilation.</summary>
    public virtual void Visit(MultiplyAccumulate multiplyAccumulate)
    {
        ArgumentNullException.ThrowIfNull(multiplyAccumulate);
        Visit(multiplyAccumulate.Target);
        Visit(multiplyAccumulate.Weights);
        Visit(multiplyAccumulate.Source);
        VisitAll(multiplyAccumulate.Stride, multiplyAccumulate.Dilation);
    }

    /// <summary>A reset holds no expression.</summary>
    public virtual void Visit(ResetReply reset)
    {
    }

    /// <summary>Visits the target, the offset, the block and the gap.</summary>
    public virtual void Visit(DmaGet dmaGet)
    {
        ArgumentNullException.ThrowIfNull(dmaGet);
        Visit(dmaGet.Target);
        VisitAll(dmaGet.Offset, dmaGet.BlockElements, dmaGet.GapElements);
    }

    /// <summary>Visits the source, the offset, the block and the gap.</summary>
    public virtual void Visit(DmaPut dmaPut)
    {
        ArgumentNullException.ThrowIfNull(dmaPut);
        Visit(dmaPut.Source);
        VisitAll(dmaPut.Offset, dmaPut.BlockElements, dmaPut.GapElements);
    }

    /// <summary>Visits the LDM block, the offset and the shape.</summary>
    public virtual void Visit(TileDma tile)
    {
        ArgumentNullException.ThrowIfNull(tile);
        Visit(tile.Ldm);
        var s = tile.Shape;
        VisitAll(tile.Offset, s.Rows, s.Columns, s.ValidRows, s.ValidColumns, s.RowStride, s.ColumnStride);
    }

    /// <summary>A wait holds no expression.</summary>
    public virtual void Visit(DmaWait wait)
    {
    }

    /// <summary>Visits the sizes, then the operands.</summary>
    public virtual void Visit(MeshGemm gemm)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        VisitAll(gemm.M, gemm.N, gemm.K);
        Visit(gemm.A);
        Visit(gemm.B);
        Visit(gemm.C);
    }

    /// <summary>A swap holds no expression.</summary>
    public virtual void Visit(Swap swap)
    {
    }

    /// <summary>A constant holds nothing further.</summary>
    public virtual void Visit(IntLiteral literal)
    {
    }

    /// <summary>A variable holds nothing further.</summary>
    public virtual void Visit(Var variable)
    {
    }

    /// <summary>Visits the operands.</summary>
    public virtual void Visit(Binary binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        Visit(binary.Left);
        Visit(binary.Right);
    }

    private void VisitAll(params ReadOnlySpan<Expr> expressions)
    {
        foreach (var expression in expressions)
        {
            Visit(expression);
        }
    }
}
