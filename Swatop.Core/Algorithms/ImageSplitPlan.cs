using Swatop.Core.Ir;
using Swatop.Core.Scheduling;
using Swatop.Primitives;

namespace Swatop.Core.Algorithms;

/// <summary>
/// A convolution plan whose core groups share the batch in chunks of whole images, the first groups
/// <see cref="SchedulePlan.SplitChunk"/> each and the last the rest: the split, the element size and the images a group
/// holds, as the direct convolution, Winograd, the fused Winograd and the column block in LDM all plan them.
/// </summary>
public abstract class ImageSplitPlan : SchedulePlan
{
    private protected ImageSplitPlan(OperatorSpec spec, TargetLimits limits, Conv2dAttributes conv, int coreGroups)
        : base(spec, limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(conv);
        Conv = conv;
        ElementBytes = spec.ElementType == ElementType.Float32 ? sizeof(float) : sizeof(double);
        SplitChunk = coreGroups == 1 ? 0 : (conv.Batch + coreGroups - 1) / coreGroups;
        SplitLoop = coreGroups == 1 ? null : new PlannedLoop("n", "n", LoopRole.Axis, conv.Batch, 1);
    }

    /// <summary>The convolution's attributes.</summary>
    public Conv2dAttributes Conv { get; }

    /// <summary>Bytes of one element.</summary>
    public int ElementBytes { get; }

    /// <inheritdoc/>
    public override PlannedLoop? SplitLoop { get; }

    /// <inheritdoc/>
    public override long SplitChunk { get; }

    /// <inheritdoc/>
    public override bool SplitSharesAlike => Schedule.CoreGroups == 1 || Conv.Batch % Schedule.CoreGroups == 0;

    /// <summary>Images of the core group that gets the most.</summary>
    public long ImagesPerGroup => Schedule.CoreGroups == 1 ? Conv.Batch : SplitChunk;

    /// <summary>
    /// The images of the running core group (<see cref="Var.Group"/>) as the lowering loops over them: a constant where the
    /// shares are alike, else the group's chunk cut at the batch's end.
    /// </summary>
    internal Expr GroupImages => SplitSharesAlike ? ImagesPerGroup : Expr.Min(ImagesPerGroup, Conv.Batch - (Var.Group * SplitChunk));

    /// <summary>Images of the core group that gets the fewest.</summary>
    public long FewestImagesPerGroup => Schedule.CoreGroups == 1 ? Conv.Batch : Conv.Batch - ((Schedule.CoreGroups - 1) * SplitChunk);
}
