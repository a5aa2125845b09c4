namespace Swatop.Core.Tuning;

/// <summary>A way to search a schedule space for the fastest point.</summary>
public interface ISearchStrategy
{
    /// <summary>The strategy's name, for logs and results.</summary>
    string Name { get; }

    /// <summary>Searches <see cref="SearchContext.Space"/> and returns the fastest candidate it measured.</summary>
    /// <exception cref="OperationCanceledException">The context's token was cancelled.</exception>
    SearchResult Search(SearchContext context);
}
