using System.Globalization;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Tuning;

/// <summary>
/// The part of a convolution's batch that a candidate's measurement runs in place of the whole: the same schedule on
/// the same operator at two smaller batches, <see cref="SmallBatch"/> and <see cref="LargeBatch"/>, whose core groups
/// each take the remainder <see cref="Remainder"/> of their images plus one and two runs of <see cref="Units"/> alike
/// units of <see cref="UnitImages"/> images (<see cref="AlikeImageUnit"/>). Each such unit adds the same iterations of
/// the kernel's outer loop, so the time is affine in the count of units: the fill, the drain and the remainder are in
/// both measurements, their difference is the time of <see cref="Units"/> units, and the whole batch's time is
/// <see cref="Extrapolate"/>d from the two.
/// </summary>
/// <remarks>
/// Only for a family whose outer work is made of whole images, and only where the parts together hold at most half of
/// the batch: anything else is measured in full. Where the core groups' shares differ (the first groups
/// <see cref="ImagesPerGroup"/> each, the last <see cref="LastImages"/>; <see cref="SchedulePlan.SplitSharesAlike"/> false),
/// and the kernel keeps every tensor where the framework does (no layout step), the groups work apart and the kernel's
/// time is the slowest group's: each distinct share is extrapolated from parts whose groups all take alike shares of its
/// remainder and one and two runs of units (the same parts where the two remainders agree, <see cref="LastPartsShared"/>),
/// and the time is the larger of the two. A search measures its winner in full (<see cref="SearchContext.Confirm"/>), so
/// a tuned time is never an extrapolation.
/// </remarks>
public sealed record RepresentativePart
{
    private RepresentativePart(int coreGroups, long imagesPerGroup, long lastImages, long unitImages, long units)
    {
        CoreGroups = coreGroups;
        ImagesPerGroup = imagesPerGroup;
        LastImages = lastImages;
        UnitImages = unitImages;
        Units = units;
    }

    /// <summary>How many alike units a measured part adds, and the small part holds, beyond the remainder.</summary>
    public const long DefaultUnits = 1;

    /// <summary>The schedule's core groups, each taking as many images.</summary>
    public int CoreGroups { get; }

    /// <summary>Images of a core group in the whole batch: of each but the last where the shares differ.</summary>
    public long ImagesPerGroup { get; }

    /// <summary>Images of the last core group in the whole batch: <see cref="ImagesPerGroup"/> where the shares are alike, fewer where not.</summary>
    public long LastImages { get; }

    /// <summary>Whether every core group takes as many images.</summary>
    public bool SharesAlike => LastImages == ImagesPerGroup;

    /// <summary>Images of the whole batch.</summary>
    public long Images => ((CoreGroups - 1) * ImagesPerGroup) + LastImages;

    /// <summary>Images of one alike unit: the fewest after which a group's outer work repeats itself.</summary>
    public long UnitImages { get; }

    /// <summary>Alike units the small part holds beyond the remainder, and the large part holds beyond the small.</summary>
    public long Units { get; }

    /// <summary>Images of a group that make no whole unit: in every run, the whole one's and the parts'.</summary>
    public long Remainder => ImagesPerGroup % UnitImages;

    /// <summary>Whole alike units of a group in the whole batch.</summary>
    public long WholeUnits => ImagesPerGroup / UnitImages;

    /// <summary>The batch of the small part: each group's remainder and <see cref="Units"/> units.</summary>
    public int SmallBatch => checked((int)(CoreGroups * (Remainder + (Units * UnitImages))));

    /// <summary>The batch of the large part: each group's remainder and twice <see cref="Units"/> units.</summary>
    public int LargeBatch => checked((int)(CoreGroups * (Remainder + (2 * Units * UnitImages))));

    /// <summary>Images of the last group that make no whole unit.</summary>
    public long LastRemainder => LastImages % UnitImages;

    /// <summary>Whole alike units of the last group in the whole batch.</summary>
    public long LastWholeUnits => LastImages / UnitImages;

    /// <summary>Whether the last group's time is extrapolated from the same parts as the others': its remainder is theirs.</summary>
    public bool LastPartsShared => LastRemainder == Remainder;

    /// <summary>The batch of the last share's small part (<see cref="SmallBatch"/> where <see cref="LastPartsShared"/>).</summary>
    public int LastSmallBatch => checked((int)(CoreGroups * (LastRemainder + (Units * UnitImages))));

    /// <summary>The batch of the last share's large part (<see cref="LargeBatch"/> where <see cref="LastPartsShared"/>).</summary>
    public int LastLargeBatch => checked((int)(CoreGroups * (LastRemainder + (2 * Units * UnitImages))));

    /// <summary>The images the parts' runs hold in all: two runs, or four where the last share needs parts of its own.</summary>
    public long PartImages => SmallBatch + LargeBatch + (SharesAlike || LastPartsShared ? 0 : LastSmallBatch + LastLargeBatch);

    /// <summary>
    /// The part of <paramref name="spec"/> under <paramref name="schedule"/> to measure in place of the whole, or null
    /// when it is to be measured in full: not a convolution, a family whose outer work is not made of alike images,
    /// groups whose shares differ, a batch too small for a part to save half the work, or a schedule that does not
    /// hold at the parts' batches (or at the whole's: then the full measurement names the broken rule).
    /// </summary>
    /// <param name="spec">The operator.</param>
    /// <param name="schedule">The candidate's schedule.</param>
    /// <param name="limits">The target's limits.</param>
    /// <param name="units">Alike units the small part holds beyond the remainder: at least 1.</param>
    public static RepresentativePart? For(OperatorSpec spec, Schedule schedule, TargetLimits limits, long units = DefaultUnits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (spec.Attributes is not Conv2dAttributes conv)
        {
            return null;
        }

        try
        {
            var algorithm = ScheduleAlgorithms.Of(schedule);
            var plan = algorithm.Plan(spec, schedule, limits);
            if (plan.Accept(AlikeImageUnit.Instance) is not { } unit || Shares(plan, conv) is not var (images, last))
            {
                return null;
            }

            // Unlike shares: the groups work apart only where no layout step runs over the whole batch around the kernel.
            var part = new RepresentativePart(schedule.CoreGroups, images, last, unit, units);
            if (!part.SharesAlike && (part.LastWholeUnits < 2 * units || !plan.Placements.All(p => p.Layout.IsIdentity)))
            {
                return null;
            }

            if (2 * part.PartImages > conv.Batch)
            {
                return null;
            }

            // The schedule must hold at every part's batch, its groups' shares alike and cut into the same units.
            int[] batches = part.SharesAlike || part.LastPartsShared
                ? [part.SmallBatch, part.LargeBatch]
                : [part.SmallBatch, part.LargeBatch, part.LastSmallBatch, part.LastLargeBatch];
            foreach (var batch in batches)
            {
                var smaller = algorithm.Plan(OperatorAt(spec, batch), schedule, limits);
                if (!smaller.SplitSharesAlike || smaller.Accept(AlikeImageUnit.Instance) != unit)
                {
                    return null;
                }
            }

            return part;
        }
        catch (ScheduleException)
        {
            return null;
        }
    }

    /// <summary>
    /// The images of each core group but the last, and of the last, under <paramref name="plan"/>: alike where the split
    /// shares them alike; else, for a plan that shares the batch in whole images (<see cref="Algorithms.ImageSplitPlan"/>), its chunk
    /// and the rest; null for a plan whose shares differ otherwise.
    /// </summary>
    private static (long Images, long Last)? Shares(SchedulePlan plan, Conv2dAttributes conv)
    {
        var groups = plan.Schedule.CoreGroups;
        if (plan.SplitSharesAlike)
        {
            return (conv.Batch / groups, conv.Batch / groups);
        }

        return plan is Algorithms.ImageSplitPlan split && split.FewestImagesPerGroup > 0 ? (split.ImagesPerGroup, split.FewestImagesPerGroup) : null;
    }

    /// <summary>
    /// <paramref name="spec"/>, a convolution, at batch <paramref name="batch"/>: the same attributes, element type and
    /// epilogue (a residual's stated shape left to follow the output's).
    /// </summary>
    /// <param name="spec">The convolution.</param>
    /// <param name="batch">The batch.</param>
    /// <exception cref="ArgumentException"><paramref name="spec"/> is not a convolution.</exception>
    public static OperatorSpec OperatorAt(OperatorSpec spec, int batch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Attributes is not Conv2dAttributes a)
        {
            throw new ArgumentException($"{nameof(spec)} = {spec.Signature}: a representative part is a convolution's images; the operator is not a convolution.", nameof(spec));
        }

        var smaller = Core.Operator.Conv2d(batch, a.InChannels, a.OutChannels, a.Height, a.Width, a.Kernel, a.Stride, a.Padding, a.Dilation, a.Groups, spec.ElementType, a.Layout);
        return spec.Epilogue.IsEmpty
            ? smaller
            : smaller.WithEpilogue(Epilogue.Of([.. spec.Epilogue.Steps.Select(s => s is ResidualAddStep ? EpilogueStep.ResidualAdd() : s)]));
    }

    /// <summary>
    /// The whole batch's time from the small part's <paramref name="small"/> and the large part's <paramref name="large"/>:
    /// the large part's and, for each further run of <see cref="Units"/> units, the difference of the two.
    /// </summary>
    /// <param name="small">The small part's time.</param>
    /// <param name="large">The large part's time.</param>
    public double Extrapolate(double small, double large) => large + ((large - small) * (WholeUnits - (2 * Units)) / Units);

    /// <summary>
    /// The last group's time in the whole batch from its share's small part's <paramref name="small"/> and large part's
    /// <paramref name="large"/> (<see cref="LastSmallBatch"/>, <see cref="LastLargeBatch"/>), as <see cref="Extrapolate"/> does for the others.
    /// </summary>
    /// <param name="small">The last share's small part's time.</param>
    /// <param name="large">The last share's large part's time.</param>
    public double ExtrapolateLast(double small, double large) => large + ((large - small) * (LastWholeUnits - (2 * Units)) / Units);

    /// <summary>The whole batch's images over the large part's: how much more work (and floating-point operations) the whole holds.</summary>
    public double WorkOverLarge => (double)Images / LargeBatch;

    /// <inheritdoc/>
    public override string ToString() => SharesAlike
        ? string.Create(CultureInfo.InvariantCulture,
            $"batches {SmallBatch} and {LargeBatch} of {Images} ({CoreGroups} core group(s) of {ImagesPerGroup} images: {WholeUnits} units of {UnitImages} and {Remainder} more)")
        : string.Create(CultureInfo.InvariantCulture,
            $"batches {SmallBatch} and {LargeBatch}{(LastPartsShared ? string.Empty : $", {LastSmallBatch} and {LastLargeBatch}")} of {Images} ({CoreGroups - 1} core group(s) of {ImagesPerGroup} images: {WholeUnits} units of {UnitImages} and {Remainder} more; the last of {LastImages}: {LastWholeUnits} units and {LastRemainder} more)");
}
