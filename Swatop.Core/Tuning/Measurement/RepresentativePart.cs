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
/// Only for a schedule whose core groups share the batch in equal chunks (<see cref="SchedulePlan.SplitSharesAlike"/>),
/// of a family whose outer work is made of whole images, and only where the two batches together hold at most half of
/// a group's images: anything else is measured in full. A search measures its winner in full
/// (<see cref="SearchContext.Confirm"/>), so a tuned time is never an extrapolation.
/// </remarks>
public sealed record RepresentativePart
{
    private RepresentativePart(int coreGroups, long imagesPerGroup, long unitImages, long units)
    {
        CoreGroups = coreGroups;
        ImagesPerGroup = imagesPerGroup;
        UnitImages = unitImages;
        Units = units;
    }

    /// <summary>How many alike units a measured part adds, and the small part holds, beyond the remainder.</summary>
    public const long DefaultUnits = 1;

    /// <summary>The schedule's core groups, each taking as many images.</summary>
    public int CoreGroups { get; }

    /// <summary>Images of a core group in the whole batch.</summary>
    public long ImagesPerGroup { get; }

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
            if (!plan.SplitSharesAlike || plan.Accept(AlikeImageUnit.Instance) is not { } unit)
            {
                return null;
            }

            var part = new RepresentativePart(schedule.CoreGroups, conv.Batch / schedule.CoreGroups, unit, units);
            if (2 * (part.SmallBatch + part.LargeBatch) > conv.Batch)
            {
                return null;
            }

            // The schedule must hold at both batches, its groups' shares alike and cut into the same units.
            foreach (var batch in new[] { part.SmallBatch, part.LargeBatch })
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

    /// <summary>The whole batch's images over the large part's: how much more work (and floating-point operations) the whole holds.</summary>
    public double WorkOverLarge => (double)ImagesPerGroup / (Remainder + (2 * Units * UnitImages));

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"batches {SmallBatch} and {LargeBatch} of {CoreGroups * ImagesPerGroup} ({CoreGroups} core group(s) of {ImagesPerGroup} images: {WholeUnits} units of {UnitImages} and {Remainder} more)");
}
