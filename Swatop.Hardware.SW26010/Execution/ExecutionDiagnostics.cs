namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// The stable ids of the loop-IR executor's errors: a kernel it cannot compile, tensors it cannot
/// bind, or a value at run time that does not fit where the kernel uses it. Each names one rule;
/// messages name the kernel, the statement and the names involved. Ids are never reused for another rule.
/// </summary>
public static class ExecutionDiagnostics
{
    /// <summary>The kernel still holds a tile transfer: the boundary pass must lower it to gets, puts and fills first.</summary>
    public const string TileDmaNotLowered = "SWX0001";

    /// <summary>An expression uses a variable that no enclosing loop or let binds and that is not a built-in.</summary>
    public const string UnboundVariable = "SWX0002";

    /// <summary>A statement names an LDM buffer the kernel does not declare.</summary>
    public const string UndeclaredBuffer = "SWX0003";

    /// <summary>A statement names a tensor the kernel does not declare.</summary>
    public const string UndeclaredTensor = "SWX0004";

    /// <summary>A statement names a reply word the kernel does not declare.</summary>
    public const string UndeclaredReply = "SWX0005";

    /// <summary>The next half of a single buffer is referenced, or a single buffer is swapped.</summary>
    public const string SingleBufferHalf = "SWX0006";

    /// <summary>
    /// The kernel's declarations break a rule: a name declared twice, a copy count other than 1 or 2,
    /// a size out of range, a loop or let that rebinds a built-in.
    /// </summary>
    public const string InvalidDeclaration = "SWX0007";

    /// <summary>The tensors given to a program do not match the kernel's: one is missing or one is not the kernel's.</summary>
    public const string TensorBinding = "SWX0008";

    /// <summary>A main-memory buffer is too small for the tensor it is bound to, or lies in another core group's memory than the others.</summary>
    public const string TensorStorage = "SWX0009";

    /// <summary>The LDM plan's buffer offsets differ from where the emulator allocated the buffers.</summary>
    public const string LdmPlanMismatch = "SWX0010";

    /// <summary>A value computed at run time does not fit its use: an LDM reference outside its half, a negative count, a size beyond 32 bits, a DMA offset outside its tensor.</summary>
    public const string ValueOutOfRange = "SWX0011";

    /// <summary>An element-wise statement has the wrong number of operands for its operation, or an operand whose kind and LDM reference disagree.</summary>
    public const string InvalidOperands = "SWX0012";

    /// <summary>A transpose's constant shape breaks the primitive's rules: its target or source does not hold rows x columns elements, or an extent is negative.</summary>
    public const string TransposeShape = "SWX0013";

    /// <summary>A multiply-accumulate's constant shape breaks the primitive's rules (<see cref="Swatop.Primitives.MultiplyAccumulateRules"/>).</summary>
    public const string MultiplyAccumulateShape = "SWX0014";
}
