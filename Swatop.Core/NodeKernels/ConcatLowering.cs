using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;

namespace Swatop.Core.NodeKernels;

/// <summary>
/// Lowers a <see cref="ConcatKernel"/> to the loop IR: the SPMD copy kernel every CPE of each of its core groups runs,
/// from the parts (<see cref="ConcatKernel.PartTensor"/>) to <see cref="DestinationTensor"/>, all in the framework's
/// layout in the memory the framework shares. Part by part, the work is dealt in turns to the <c>64 * CoreGroups</c>
/// CPEs: a unit is a run of the part's rows, got in one contiguous DMA get and put in one strided DMA put (a row's block
/// at a time, the other parts' blocks skipped), or, where one row does not fit the LDM, a piece of one row. A copy: exact.
/// </summary>
public static class ConcatLowering
{
    /// <summary>The kernel tensor written: the output.</summary>
    public const string DestinationTensor = "destination";

    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";

    /// <summary>Lowers <paramref name="kernel"/> for a target with <paramref name="limits"/>.</summary>
    public static LoopKernel Lower(ConcatKernel kernel, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(limits);
        var tensors = ImmutableArray.CreateBuilder<KernelTensor>();
        for (var i = 0; i < kernel.Blocks.Length; i++)
        {
            tensors.Add(new KernelTensor(ConcatKernel.PartTensor(i), kernel.Outer * kernel.Blocks[i], IsOutput: false));
        }

        tensors.Add(new KernelTensor(DestinationTensor, kernel.Elements, IsOutput: true));
        var workers = NodeKernelLoops.Cpes * kernel.CoreGroups;
        var room = NodeKernelLoops.Room(limits, kernel.ElementBytes, 1);
        var row = kernel.Row;
        var tile = 1L;
        var loops = new List<Stmt>();
        var offset = 0L;
        var unit = new Var("unit");
        foreach (var (block, i) in kernel.Blocks.Select((b, i) => (b, i)))
        {
            var part = ConcatKernel.PartTensor(i);
            var count = new Var("count");
            var at = new Var("at");
            var to = new Var("to");
            Stmt Copy(Expr elements, Expr blockElements, Expr gapElements)
            {
                var run = new LdmRef("tile", 0, elements);
                return Block.Of(
                    new ResetReply(GetReply),
                    new DmaGet(run, part, at, 0, 0, GetReply),
                    new DmaWait(GetReply),
                    new ResetReply(PutReply),
                    new DmaPut(run, DestinationTensor, to, blockElements, gapElements, PutReply),
                    new DmaWait(PutReply));
            }

            if (block == 0)
            {
                continue;
            }

            if (block <= room)
            {
                // Whole rows of the part a unit: enough to give every CPE work, no more than fit.
                var per = Math.Max(1, Math.Min(room / block, (kernel.Outer + workers - 1) / workers));
                var units = (kernel.Outer + per - 1) / per;
                tile = Math.Max(tile, per * block);
                var o0 = new Var("o0");
                var strided = row != block;
                var bound = new Let(o0.Name, unit * per, new Let(count.Name, Expr.Min(per, kernel.Outer - o0),
                    new Let(at.Name, o0 * block, new Let(to.Name, (o0 * row) + offset,
                        Copy(count * block, strided ? block : 0, strided ? row - block : 0)))));
                loops.Add(NodeKernelLoops.Turns(units, workers, NodeKernelLoops.Worker, unit, bound));
            }
            else
            {
                // A piece of one row a unit.
                var pieces = (block + room - 1) / room;
                tile = Math.Max(tile, room);
                var r = new Var("r");
                var p0 = new Var("p0");
                var bound = new Let(r.Name, unit / pieces, new Let(p0.Name, (unit % pieces) * room, new Let(count.Name, Expr.Min(room, block - p0),
                    new Let(at.Name, (r * block) + p0, new Let(to.Name, (r * row) + offset + p0, Copy(count, 0, 0))))));
                loops.Add(NodeKernelLoops.Turns(kernel.Outer * pieces, workers, NodeKernelLoops.Worker, unit, bound));
            }

            offset += block;
        }

        return new LoopKernel(KernelLowering.Identifier(kernel.Name), kernel.ElementType, tensors.ToImmutable(), [new LdmBuffer("tile", tile)], [GetReply, PutReply], Block.Of(loops));
    }
}
