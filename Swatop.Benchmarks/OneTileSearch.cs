using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Layouts;
using Swatop.Core.Tuning;

namespace Swatop.Benchmarks;

/// <summary>
/// A search that runs <paramref name="inner"/> over the composite Winograd's points of one output tile only (a
/// <see cref="WinogradGemmSpace"/> asked for that tile), so that a benchmark can tune F(4 x 4) and F(6 x 6), which the
/// default space does not list, side by side with the same strategy and seed.
/// </summary>
/// <param name="inner">The strategy searching the kept points.</param>
/// <param name="tile">The output tile m kept.</param>
public sealed class OneTileSearch(ISearchStrategy inner, int tile) : ISearchStrategy
{
    /// <inheritdoc/>
    public string Name => $"{inner.Name}, tile {tile}";

    /// <inheritdoc/>
    public SearchResult Search(SearchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return inner.Search(context with { Space = new WinogradGemmSpace(context.Space.Operator, context.Space.Limits, PlacementConstraints.None, [tile]) });
    }
}
