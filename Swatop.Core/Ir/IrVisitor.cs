namespace Swatop.Core.Ir;

/// <summary>
/// Walks a statement tree in program order, calling <see cref="Visit(Stmt)"/> on every statement
/// and <see cref="Visit(Expr)"/> on every expression it holds; analyses override what they need.
/// </summary>
public abstract class IrVisitor
{
    /// <summary>Visits a statement, then its children.</summary>
    public virtual void Visit(Stmt statement)
    {
        switch (statement)
        {
            case Block block:
                foreach (var inner in block.Statements)
                {
                    Visit(inner);
                }

                break;
            case ForLoop loop:
                Visit(loop.Extent);
                Visit(loop.Body);
                break;
            case Conditional branch:
                Visit(branch.Condition);
                Visit(branch.Then);
                if (branch.Else is { } otherwise)
                {
                    Visit(otherwise);
                }

                break;
            case Let let:
                Visit(let.Value);
                Visit(let.Body);
                break;
            case Fill fill:
                Visit(fill.Target);
                break;
            case DmaGet get:
                Visit(get.Target);
                VisitAll(get.Offset, get.BlockElements, get.GapElements);
                break;
            case DmaPut put:
                Visit(put.Source);
                VisitAll(put.Offset, put.BlockElements, put.GapElements);
                break;
            case TileDma tile:
                Visit(tile.Ldm);
                var s = tile.Shape;
                VisitAll(tile.Offset, s.Rows, s.Columns, s.ValidRows, s.ValidColumns, s.RowStride, s.ColumnStride);
                break;
            case MeshGemm gemm:
                VisitAll(gemm.M, gemm.N, gemm.K);
                Visit(gemm.A);
                Visit(gemm.B);
                Visit(gemm.C);
                break;
            case ResetReply or DmaWait or Swap:
                break;
            default:
                throw new NotSupportedException($"The visitor does not know the IR node {statement?.GetType().Name}.");
        }
    }

    /// <summary>Visits an expression; by default visits its operands.</summary>
    public virtual void Visit(Expr expression)
    {
        if (expression is Binary binary)
        {
            Visit(binary.Left);
            Visit(binary.Right);
        }
    }

    /// <summary>Visits an LDM reference's expressions.</summary>
    public virtual void Visit(LdmRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Visit(reference.Offset);
        Visit(reference.Count);
    }

    private void VisitAll(params ReadOnlySpan<Expr> expressions)
    {
        foreach (var expression in expressions)
        {
            Visit(expression);
        }
    }
}
