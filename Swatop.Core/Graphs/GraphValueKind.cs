namespace Swatop.Core.Graphs;

/// <summary>Where a <see cref="GraphValue"/> comes from.</summary>
public enum GraphValueKind
{
    /// <summary>An input of the graph: an activation the caller gives each run (an image batch).</summary>
    Input,

    /// <summary>A constant of the graph: an operator's weights, the same for every run and prepared once.</summary>
    Constant,

    /// <summary>The output of a node.</summary>
    Computed,
}
