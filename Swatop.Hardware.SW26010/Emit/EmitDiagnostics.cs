namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The stable ids of the C emitter's errors: a kernel whose loop IR cannot be written as athread C.
/// Each names one rule; messages name the kernel and the statement or name involved. Ids are never
/// reused for another rule.
/// </summary>
public static class EmitDiagnostics
{
    /// <summary>A name of the kernel (tensor, buffer, reply word, loop or let variable) is not a C identifier, is a C keyword, or is one the emitted code reserves.</summary>
    public const string InvalidName = "SWC0001";

    /// <summary>The kernel still holds a tile transfer: run the boundary pass first, which lowers it to gets, puts and fills.</summary>
    public const string TileDmaNotLowered = "SWC0002";

    /// <summary>A fill value has no C literal (NaN or an infinity).</summary>
    public const string UnprintableValue = "SWC0003";

    /// <summary>The kernel's LDM plan holds no mesh GEMM workspace, or one smaller than its largest call streams through.</summary>
    public const string WorkspaceTooSmall = "SWC0004";

    /// <summary>A tuned network's plan does not hold together: a kernel would read a value elsewhere than the plan leaves it.</summary>
    public const string PlanDoesNotHold = "SWC0005";
}
