using System.Collections.Immutable;
using Swatop.Core.Ir;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// Lowers a <see cref="LayoutStep"/> to the loop IR: the SPMD kernel every CPE of each of the step's core
/// groups runs. The tiles of <see cref="LayoutStepTiling"/> are numbered over the group's share, dimension
/// by dimension (the last fastest), and dealt to the 64 CPEs in turn; a CPE gets a tile as a tile
/// transfer from <see cref="SourceTensor"/>, transposes it in LDM when the contiguous dimensions differ,
/// and puts it to <see cref="DestinationTensor"/>. Offsets follow <see cref="LayoutRules.Place"/> in both
/// layouts, so the C and the emulator agree with the host's permute. Border tiles move their valid corner
/// (the boundary pass), and nothing is written outside the framework's elements.
/// </summary>
public static class LayoutStepLowering
{
    /// <summary>The kernel tensor the step reads.</summary>
    public const string SourceTensor = "source";

    /// <summary>The kernel tensor the step writes.</summary>
    public const string DestinationTensor = "destination";

    private const string TileBuffer = "tile";
    private const string TurnedBuffer = "turned";
    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";

    /// <summary>Lowers <paramref name="step"/> for a target with <paramref name="limits"/>.</summary>
    /// <exception cref="NotSupportedException">The step's share cuts a dimension the step cannot split (see <see cref="LayoutStepTiling.For"/>).</exception>
    public static LoopKernel Lower(LayoutStep step, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(limits);
        var tiling = LayoutStepTiling.For(step, limits.LdmBudgetBytes);
        var buffers = ImmutableArray.CreateBuilder<LdmBuffer>();
        buffers.Add(new LdmBuffer(TileBuffer, tiling.TileElements));
        if (tiling.Transposes)
        {
            buffers.Add(new LdmBuffer(TurnedBuffer, tiling.TileElements));
        }

        var tensors = ImmutableArray.Create(
            new KernelTensor(SourceTensor, step.Source.Elements, IsOutput: false),
            new KernelTensor(DestinationTensor, step.Destination.Elements, IsOutput: true));
        var body = new StepBuilder(step, tiling).Build();
        return new LoopKernel(KernelLowering.Identifier(step.Name), step.ElementType, tensors, buffers.ToImmutable(), [GetReply, PutReply], body);
    }

    /// <summary>Builds the loop nest of one step.</summary>
    private sealed class StepBuilder(LayoutStep step, LayoutStepTiling tiling)
    {
        private const int Cpes = MeshGemmRules.MeshSize * MeshGemmRules.MeshSize;
        private readonly List<(string Name, Expr Value)> _bindings = [];

        public Stmt Build()
        {
            var rank = step.Tensor.Rank;
            var split = step.Share as SplitDistribution;
            var first = new Expr[rank];
            var length = new Expr[rank];
            var counts = new Expr[rank];
            for (var d = 0; d < rank; d++)
            {
                var (start, end) = tiling.Ranges[d];
                if (split is not null && split.Dimension == d)
                {
                    // The group's positions of the split axis, in framework indices of one period.
                    var from = Var.Group * (split.PositionsPerGroup * split.Stride);
                    first[d] = Bind($"first{d}", from);
                    length[d] = Bind($"length{d}", Expr.Max(0, (Expr.Min((Var.Group + 1) * split.PositionsPerGroup, split.Extent) * split.Stride) - first[d]));
                }
                else
                {
                    first[d] = start;
                    length[d] = end - start;
                }

                counts[d] = Bind($"tiles{d}", (length[d] + (tiling.Tiles[d] - 1)) / tiling.Tiles[d]);
            }

            var segments = split is null ? 1 : step.Tensor.Shape[split.Dimension] / (split.Stride * split.Extent);
            Expr total = segments;
            for (var d = 0; d < rank; d++)
            {
                total *= counts[d];
            }

            total = Bind("total", total);
            var cpe = Bind("cpe", (Var.Row * MeshGemmRules.MeshSize) + Var.Column);

            // Inside the loop over this CPE's turns: which tile, where it starts, how much of it is valid.
            // The split's segment (one period of the split dimension) varies fastest.
            var inner = new List<(string Name, Expr Value)>();
            Expr rest = new Var("tile_index");
            Expr segment = segments == 1 ? Expr.Zero : Let(inner, "segment", rest % segments);
            rest = segments == 1 ? rest : Let(inner, "rest", rest / segments);
            var origin = new Expr[rank];
            var valid = new Expr[rank];
            for (var d = rank - 1; d >= 0; d--)
            {
                var position = Let(inner, $"t{d}", rest % counts[d]);
                rest = Let(inner, $"rest{d}", rest / counts[d]);
                var period = split is not null && split.Dimension == d ? segment * (split.Stride * split.Extent) : Expr.Zero;
                origin[d] = Let(inner, $"f{d}", period + first[d] + (position * tiling.Tiles[d]));
                valid[d] = Expr.Min(tiling.Tiles[d], period + first[d] + length[d] - origin[d]);
            }

            // Offsets and valid extents stay inline, so the verifier bounds a whole tile's transfer by the facts its border test gives.
            var move = Wrap(inner, Block.Of(Get(Offset(step.Source, origin, tiling.Tiles), valid), Put(Offset(step.Destination, origin, tiling.Tiles), valid)));
            var turn = new Var("turn");
            var tileIndex = (turn * Cpes) + cpe;
            var perTurn = new Let("tile_index", tileIndex, new Conditional(Expr.Less(new Var("tile_index"), total), move));
            return Wrap(_bindings, new ForLoop(turn.Name, (total + (Cpes - 1)) / Cpes, perTurn));
        }

        /// <summary>The get of the tile, and its transpose when the contiguous dimensions differ.</summary>
        private Stmt Get(Expr from, Expr[] valid)
        {
            var rows = tiling.RowDimension;
            var columns = tiling.ColumnDimension;
            var validRows = tiling.MergedDimension >= 0 ? valid[tiling.MergedDimension] * tiling.Tiles[rows] : valid[rows];
            var shape = new TileShape(tiling.Rows, tiling.Columns, validRows, columns >= 0 ? valid[columns] : 1,
                step.Source.Strides[rows], columns >= 0 ? step.Source.Strides[columns] : tiling.Rows);
            var get = new TileDma(DmaDirection.Get, new LdmRef(TileBuffer, 0, tiling.TileElements), SourceTensor, from, shape, GetReply);
            var statements = new List<Stmt> { new ResetReply(GetReply), get, new DmaWait(GetReply) };
            if (tiling.Transposes)
            {
                statements.Add(new Transpose(new LdmRef(TurnedBuffer, 0, tiling.TileElements), new LdmRef(TileBuffer, 0, tiling.TileElements), tiling.Rows, tiling.Columns));
            }

            return Block.Of(statements);
        }

        /// <summary>The put of the tile (of each merged row group, when rows are merged).</summary>
        private Stmt Put(Expr to, Expr[] valid)
        {
            var rows = tiling.RowDimension;
            var columns = tiling.ColumnDimension;
            var destination = step.Destination;
            Stmt put;
            if (!tiling.Transposes)
            {
                var shape = new TileShape(tiling.Rows, tiling.Columns, valid[rows], columns >= 0 ? valid[columns] : 1,
                    destination.Strides[rows], columns >= 0 ? destination.Strides[columns] : tiling.Rows);
                put = new TileDma(DmaDirection.Put, new LdmRef(TileBuffer, 0, tiling.TileElements), DestinationTensor, to, shape, PutReply);
            }
            else if (tiling.MergedDimension < 0)
            {
                var shape = new TileShape(tiling.Columns, tiling.Rows, valid[columns], valid[rows], destination.Strides[columns], destination.Strides[rows]);
                put = new TileDma(DmaDirection.Put, new LdmRef(TurnedBuffer, 0, tiling.TileElements), DestinationTensor, to, shape, PutReply);
            }
            else
            {
                var group = new Var("merged");
                var run = tiling.Columns * tiling.Tiles[rows];
                var shape = new TileShape(tiling.Columns, tiling.Tiles[rows], valid[columns], tiling.Tiles[rows], destination.Strides[columns], destination.Strides[rows]);
                var one = new TileDma(DmaDirection.Put, new LdmRef(TurnedBuffer, group * run, run), DestinationTensor,
                    to + (group * destination.Strides[tiling.MergedDimension]), shape, PutReply);
                put = new ForLoop(group.Name, valid[tiling.MergedDimension], one);
            }

            return Block.Of(new ResetReply(PutReply), put, new DmaWait(PutReply));
        }

        /// <summary>The element offset in <paramref name="layout"/> of the framework element at <paramref name="index"/>: <see cref="LayoutRules.Place"/> of each dimension's position, summed.</summary>
        /// <remarks>A tile lies inside one block of a blocked dimension, so its place there is counted in tiles, which bounds it by the block.</remarks>
        private static Expr Offset(TensorLayout layout, Expr[] index, ImmutableArray<long> tiles)
        {
            Expr offset = 0;
            for (var d = 0; d < index.Length; d++)
            {
                var position = index[d] + layout.Origins[d];
                offset += layout.IsBlocked(d)
                    ? (position / layout.Blocks[d] * layout.OuterStrides[d]) + (position / tiles[d] % (layout.Blocks[d] / tiles[d]) * (tiles[d] * layout.Strides[d]))
                    : position * layout.Strides[d];
            }

            return offset;
        }

        private Var Bind(string name, Expr value) => Let(_bindings, name, value);

        private static Var Let(List<(string Name, Expr Value)> bindings, string name, Expr value)
        {
            bindings.Add((name, value));
            return new Var(name);
        }

        private static Stmt Wrap(List<(string Name, Expr Value)> bindings, Stmt body)
        {
            for (var i = bindings.Count - 1; i >= 0; i--)
            {
                body = new Let(bindings[i].Name, bindings[i].Value, body);
            }

            return body;
        }
    }
}
