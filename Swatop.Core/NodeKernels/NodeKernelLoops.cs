using Swatop.Core.Ir;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// The loops node kernels share: the CPEs that run a kernel dealt units of work in turns, and the LDM a kernel's
/// buffers have.
/// </summary>
internal static class NodeKernelLoops
{
    /// <summary>The CPEs of one core group.</summary>
    public const int Cpes = MeshGemmRules.MeshSize * MeshGemmRules.MeshSize;

    /// <summary>This CPE's index among the <c>64 * groups</c> CPEs of a kernel that every core group runs on shared buffers.</summary>
    public static Expr Worker => (Var.Group * Cpes) + ((Var.Row * MeshGemmRules.MeshSize) + Var.Column);

    /// <summary>The elements an LDM budget holds for <paramref name="buffers"/> buffers, each rounded up to the alignment.</summary>
    public static long Room(TargetLimits limits, int elementBytes, int buffers) =>
        (limits.LdmBudgetBytes - (buffers * (long)limits.LdmAlignmentBytes)) / elementBytes;

    /// <summary>The loop over this CPE's turns: unit <c>turn * workers + worker</c> while there is one, bound to <paramref name="unit"/>.</summary>
    public static ForLoop Turns(long units, int workers, Expr worker, Var unit, Stmt body)
    {
        var turn = new Var("turn");
        return new ForLoop(turn.Name, (units + workers - 1) / workers,
            new Let(unit.Name, (turn * workers) + worker, new Conditional(Expr.Less(unit, units), body)));
    }
}
