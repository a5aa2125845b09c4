namespace Swatop.Core.LayoutSteps;

/// <summary>What a <see cref="LayoutStep"/> does for the kernel it serves.</summary>
public enum LayoutStepKind
{
    /// <summary>From the framework's layout into a kernel's: an input, before the kernel.</summary>
    Pack,

    /// <summary>From a kernel's layout into the framework's: the output, after the kernel.</summary>
    Unpack,

    /// <summary>From one kernel's layout into another's: between a producer and a consumer that disagree.</summary>
    Reorder,
}
