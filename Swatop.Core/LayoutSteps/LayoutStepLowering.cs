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
/// by dimension (the last fastest), and dealt to the 64 CPEs in turn; a CPE gets a tile from
/// <see cref="SourceTensor"/> in one strided DMA get (one a merged column group), transposes it in LDM when
/// the contiguous dimensions differ, or copies its rows into padded rows, and puts it to
/// <see cref="DestinationTensor"/> in one strided DMA put (one a merged row group). A border tile moves its
/// valid part, compacted in LDM, in as many requests as a whole tile. Offsets follow
/// <see cref="LayoutRules.Place"/> in both layouts, so the C and the emulator agree with the host's permute.
/// Nothing is written outside the framework's elements but the zeros of padded rows (see
/// <see cref="LayoutStepTiling.PaddedRows"/>).
/// </summary>
/// <remarks>
/// Each CPE waits for a tile's get before its transpose and for its put before the next get, single-buffered:
/// the 64 CPEs of a group have 64 tiles in flight, which keeps the group's memory controller, shared by all,
/// busy from the first get to the last put (the emulator reports it busy all the step long), so double
/// buffering would win nothing but halve the tiles, and with them lengthen the requests' blocks.
/// </remarks>
public static class LayoutStepLowering
{
    /// <summary>The kernel tensor the step reads.</summary>
    public const string SourceTensor = "source";

    /// <summary>The kernel tensor the step writes.</summary>
    public const string DestinationTensor = "destination";

    private const string TileBuffer = "tile";
    private const string TurnedBuffer = "turned";
    private const string PaddedBuffer = "padded";
    private const string GetReply = "get_reply";
    private const string PutReply = "put_reply";

    /// <summary>Lowers <paramref name="step"/> for a target with <paramref name="limits"/>; a pack into a column matrix is the column step (<see cref="ColumnStepLowering"/>).</summary>
    /// <exception cref="NotSupportedException">The step's share cuts a dimension the step cannot split (see <see cref="LayoutStepTiling.For"/>).</exception>
    public static LoopKernel Lower(LayoutStep step, TargetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(limits);
        if (step.Destination.Window is not null)
        {
            return ColumnStepLowering.Lower(step, limits);
        }

        var tiling = LayoutStepTiling.For(step, limits.LdmBudgetBytes);
        var buffers = ImmutableArray.CreateBuilder<LdmBuffer>();
        buffers.Add(new LdmBuffer(TileBuffer, tiling.TileElements));
        if (tiling.Transposes)
        {
            buffers.Add(new LdmBuffer(TurnedBuffer, tiling.TileElements));
        }

        if (tiling.PadsRows)
        {
            buffers.Add(new LdmBuffer(PaddedBuffer, tiling.PaddedElements));
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

            var move = Wrap(inner, tiling.WholeBlocks is { } whole
                ? BlockTileLowering.Move(step, whole, origin, TileBuffer, TurnedBuffer, GetReply, PutReply)
                : Move(origin, valid));
            var turn = new Var("turn");
            var tileIndex = (turn * Cpes) + cpe;
            var perTurn = new Let("tile_index", tileIndex, new Conditional(Expr.Less(new Var("tile_index"), total), move));
            Stmt loop = new ForLoop(turn.Name, (total + (Cpes - 1)) / Cpes, perTurn);
            if (tiling.PadsRows)
            {
                // The padding of the rows stays zero: the copies write only the elements' places.
                loop = Block.Of(new Fill(new LdmRef(PaddedBuffer, 0, tiling.PaddedElements), 0), loop);
            }

            return Wrap(_bindings, loop);
        }

        /// <summary>
        /// One tile: its valid rows and columns, compacted in LDM (a border tile's as a whole one's); the get, the
        /// transpose or the copy into padded rows, the put, each waited for.
        /// </summary>
        private Stmt Move(Expr[] origin, Expr[] valid)
        {
            var rows = tiling.RowDimension;
            var columns = tiling.ColumnDimension;
            var merged = tiling.MergedDimension;
            var columnMerged = tiling.ColumnMergedDimension;
            var inner = new List<(string Name, Expr Value)>();

            // A merged dimension's inner one is whole, so its runs are tiles[inner] long and continue into the next position outside.
            Expr validRows = merged >= 0 ? Let(inner, "rows_v", valid[merged] * tiling.Tiles[rows]) : valid[rows];
            Expr validColumns = columns < 0 ? Expr.One
                : columnMerged >= 0 ? Let(inner, "columns_v", valid[columnMerged] * tiling.Tiles[columns]) : valid[columns];
            var elements = validRows * validColumns;
            var from = Offset(step.Source, origin, tiling.Tiles);
            var to = Offset(step.Destination, origin, tiling.Tiles);
            var statements = new List<Stmt> { new ResetReply(GetReply) };

            // The get: a block of each column's rows; a request per merged column group.
            var sourceColumnStride = columns >= 0 ? step.Source.Strides[columns] : 0;
            if (columnMerged >= 0)
            {
                var group = new Var("column_group");
                var run = tiling.Tiles[columns] * validRows;
                statements.Add(new ForLoop(group.Name, valid[columnMerged], new DmaGet(new LdmRef(TileBuffer, group * run, run), SourceTensor,
                    from + (group * step.Source.Strides[columnMerged]), BlockOf(tiling.JoinedGets, validRows), GapOf(tiling.JoinedGets, sourceColumnStride, validRows), GetReply)));
            }
            else
            {
                statements.Add(new DmaGet(new LdmRef(TileBuffer, 0, elements), SourceTensor, from,
                    BlockOf(tiling.JoinedGets, validRows), GapOf(tiling.JoinedGets, sourceColumnStride, validRows), GetReply));
            }

            statements.Add(new DmaWait(GetReply));
            statements.Add(new ResetReply(PutReply));
            var destination = step.Destination;
            if (tiling.Transposes)
            {
                // The transpose's columns are the destination's runs; a request per merged row group.
                statements.Add(new Transpose(new LdmRef(TurnedBuffer, 0, elements), new LdmRef(TileBuffer, 0, elements), validRows, validColumns));
                if (merged >= 0)
                {
                    var group = new Var("row_group");
                    var run = tiling.Tiles[rows] * validColumns;
                    statements.Add(new ForLoop(group.Name, valid[merged], new DmaPut(new LdmRef(TurnedBuffer, group * run, run), DestinationTensor,
                        to + (group * destination.Strides[merged]), BlockOf(tiling.JoinedPuts, validColumns), GapOf(tiling.JoinedPuts, destination.Strides[rows], validColumns), PutReply)));
                }
                else
                {
                    statements.Add(new DmaPut(new LdmRef(TurnedBuffer, 0, elements), DestinationTensor, to,
                        BlockOf(tiling.JoinedPuts, validColumns), GapOf(tiling.JoinedPuts, destination.Strides[rows], validColumns), PutReply));
                }
            }
            else if (tiling.PadsRows)
            {
                // Each column's rows go to their places in the padded rows (a transpose of one column is a copy); the padded rows are one run.
                var column = new Var("column");
                var place = tiling.Ranges[rows].Start + destination.Origins[rows];
                statements.Add(new ForLoop(column.Name, validColumns, new Transpose(
                    new LdmRef(PaddedBuffer, (column * tiling.PaddedRows) + place, validRows), new LdmRef(TileBuffer, column * validRows, validRows), validRows, Expr.One)));
                statements.Add(new DmaPut(new LdmRef(PaddedBuffer, 0, validColumns * tiling.PaddedRows), DestinationTensor, to - place, Expr.Zero, Expr.Zero, PutReply));
            }
            else
            {
                var destinationColumnStride = columns >= 0 ? destination.Strides[columns] : 0;
                statements.Add(new DmaPut(new LdmRef(TileBuffer, 0, elements), DestinationTensor, to,
                    BlockOf(tiling.JoinedPuts, validRows), GapOf(tiling.JoinedPuts, destinationColumnStride, validRows), PutReply));
            }

            statements.Add(new DmaWait(PutReply));
            return Wrap(inner, Block.Of(statements));
        }

        /// <summary>A transfer's block: <paramref name="run"/> elements, or 0 (one contiguous run) when the runs are <paramref name="joined"/>.</summary>
        private static Expr BlockOf(bool joined, Expr run) => joined ? Expr.Zero : run;

        /// <summary>A transfer's gap: from one run's end to the next run, <paramref name="stride"/> apart; 0 when the runs are <paramref name="joined"/>.</summary>
        private static Expr GapOf(bool joined, long stride, Expr run) => joined ? Expr.Zero : Expr.Subtract(stride, run);

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
