namespace Swatop.Core.Tuning;

/// <summary>What tuning minimizes.</summary>
public enum TuningObjective
{
    /// <summary>
    /// The time a framework waits for a call: the layout steps that bring the inputs into the kernel's
    /// layouts and the output back into the framework's, and the kernel; constant inputs prepared once and
    /// not counted. The default.
    /// </summary>
    EndToEnd,

    /// <summary>The kernel alone, spawn to join, as swDNN and the kernel-only figures count it.</summary>
    Kernel,
}
