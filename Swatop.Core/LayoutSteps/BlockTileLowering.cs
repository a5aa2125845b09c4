using Swatop.Core.Ir;
using Swatop.Core.Lowering;

namespace Swatop.Core.LayoutSteps;

/// <summary>
/// The loop IR of one whole-block tile (<see cref="BlockTile"/>): its get into the source's compact image, a request
/// for each position of the get's loops; the rearrangement into the destination's image, a <c>Transpose</c> for each
/// position of the shuffle's loops (and, for a second rearrangement, back into the tile's buffer); its put from that image, a request for each position of the put's loops; each waited for.
/// </summary>
internal static class BlockTileLowering
{
    /// <summary>The statements that move the tile starting at framework index <paramref name="origin"/>.</summary>
    public static Stmt Move(LayoutStep step, BlockTile tile, Expr[] origin, string tileBuffer, string turnedBuffer, string getReply, string putReply)
    {
        var from = Offset(step.Source, origin);
        var to = Offset(step.Destination, origin);
        var image = tile.Shuffle is { Then: null } ? turnedBuffer : tileBuffer;
        var statements = new List<Stmt>
        {
            new ResetReply(getReply),
            Transfer(tile.Get, "get", (place, offset, block, gap) =>
                new DmaGet(new LdmRef(tileBuffer, place, tile.Get.RequestElements), LayoutStepLowering.SourceTensor, from + offset, block, gap, getReply)),
            new DmaWait(getReply),
            new ResetReply(putReply),
        };

        if (tile.Shuffle is { } shuffle)
        {
            statements.Add(Rearrange(shuffle, tileBuffer, turnedBuffer));
            if (shuffle.Then is { } then)
            {
                statements.Add(Rearrange(then, turnedBuffer, tileBuffer));
            }
        }

        statements.Add(Transfer(tile.Put, "put", (place, offset, block, gap) =>
            new DmaPut(new LdmRef(image, place, tile.Put.RequestElements), LayoutStepLowering.DestinationTensor, to + offset, block, gap, putReply)));
        statements.Add(new DmaWait(putReply));
        return Block.Of(statements);
    }

    /// <summary>A <c>Transpose</c> from <paramref name="from"/> into <paramref name="into"/> for each position of <paramref name="shuffle"/>'s loops.</summary>
    private static Stmt Rearrange(TileShuffle shuffle, string from, string into)
    {
        Expr source = 0;
        Expr target = 0;
        var body = new List<(string Name, long Extent)>();
        for (var i = 0; i < shuffle.Loops.Length; i++)
        {
            var (extent, sourcePlace, destinationPlace) = shuffle.Loops[i];
            var index = new Var($"block{i}");
            source += index * sourcePlace;
            target += index * destinationPlace;
            body.Add((index.Name, extent));
        }

        var elements = shuffle.Rows * shuffle.Columns;
        return Nest(body, new Transpose(new LdmRef(into, target, elements), new LdmRef(from, source, elements), shuffle.Rows, shuffle.Columns));
    }

    /// <summary>The requests of <paramref name="transfer"/>, one for each position of its loops, each built by <paramref name="request"/> from its LDM place, memory offset, block and gap.</summary>
    private static Stmt Transfer(TileTransfer transfer, string name, Func<Expr, Expr, Expr, Expr, Stmt> request)
    {
        Expr place = 0;
        Expr offset = 0;
        var loops = new List<(string Name, long Extent)>();
        for (var i = 0; i < transfer.Loops.Length; i++)
        {
            var (extent, stride, ldm) = transfer.Loops[i];
            var index = new Var($"{name}{i}");
            place += index * ldm;
            offset += index * stride;
            loops.Add((index.Name, extent));
        }

        // One block is one contiguous run (block 0); several are runs with a gap between them.
        var joined = transfer.BlockCount == 1;
        Expr block = joined ? 0 : transfer.Run;
        Expr gap = joined ? 0 : transfer.BlockStride - transfer.Run;
        return Nest(loops, request(place, offset, block, gap));
    }

    private static Stmt Nest(List<(string Name, long Extent)> loops, Stmt body)
    {
        for (var i = loops.Count - 1; i >= 0; i--)
        {
            body = new ForLoop(loops[i].Name, loops[i].Extent, body);
        }

        return body;
    }

    /// <summary>The element offset in <paramref name="layout"/> of the framework element at <paramref name="index"/>, a tile's first (on a block boundary or inside one block).</summary>
    private static Expr Offset(TensorLayout layout, Expr[] index)
    {
        Expr offset = 0;
        for (var d = 0; d < index.Length; d++)
        {
            var position = index[d] + layout.Origins[d];
            offset += layout.IsBlocked(d)
                ? (position / layout.Blocks[d] * layout.OuterStrides[d]) + (position % layout.Blocks[d] * layout.Strides[d])
                : position * layout.Strides[d];
        }

        return offset;
    }
}
