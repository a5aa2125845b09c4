namespace Swatop.Core.Algorithms.ImplicitGemm;

/// <summary>
/// Output margins under a merge (not a fold): a kernel that merges two adjacent dimensions to write the framework's layout
/// in place (a convolution's height and width) can still leave its output as a slice of a larger tensor along a dimension
/// it does not merge (the channels of a concatenation's part), since that dimension is the view's own. The merged
/// dimensions themselves take no margin.
/// </summary>
internal sealed partial class AxisMerge
{
    /// <summary>
    /// Whether <paramref name="margins"/>, given over the framework tensor <paramref name="tensor"/>, leave both dimensions
    /// this merge joins without a margin, one margin before and after each dimension of the tensor: then the view takes them.
    /// A fold takes margins on its own terms (<see cref="InView"/>); image rows take none (their tensors lie as the
    /// framework's, addressed by image and position, with no room for a margin).
    /// </summary>
    public bool TakesMargins(OutputMargins margins, string tensor)
    {
        ArgumentNullException.ThrowIfNull(margins);
        if (ImageRows is not null)
        {
            return false;
        }

        if (IsFold || !_merged.TryGetValue(tensor, out var merged))
        {
            return true;
        }

        var (framework, d) = merged;
        var rank = framework.Shape.Length;
        return !margins.Before.IsDefault && !margins.After.IsDefault && margins.Before.Length == rank && margins.After.Length == rank
            && margins.Before[d] == 0 && margins.After[d] == 0 && margins.Before[d + 1] == 0 && margins.After[d + 1] == 0;
    }

    /// <summary><paramref name="margins"/> over the framework tensor <paramref name="tensor"/>, merged: the inner merged dimension's dropped.</summary>
    private OutputMargins MergedInView(OutputMargins margins, string tensor)
    {
        var d = _merged[tensor].Dimension;
        return new OutputMargins(margins.Before.RemoveAt(d + 1), margins.After.RemoveAt(d + 1));
    }
}
