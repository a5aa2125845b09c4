namespace Swatop.Core.Ir;

/// <summary>The stable ids of <see cref="IrException"/>: one per rule of the IR text, the passes and the verifier.</summary>
public static class IrDiagnostics
{
    /// <summary>An IR error raised without a specific rule.</summary>
    public const string Unspecified = "SWI0000";

    /// <summary>IR text does not follow the printer's grammar; the message names the line, the column and what was expected.</summary>
    public const string SyntaxError = "SWI0001";

    /// <summary>A pass pipeline names a pass that does not exist; the message lists the known ones.</summary>
    public const string UnknownPass = "SWI0002";

    /// <summary>The LDM buffers of a kernel, aligned, need more bytes than the budget; the message lists every buffer.</summary>
    public const string LdmBudgetExceeded = "SWI0003";

    /// <summary>A statement references a tensor, buffer or reply word the kernel does not declare.</summary>
    public const string UndeclaredName = "SWI0004";

    /// <summary>An expression uses a variable that no loop, let or built-in binds where it is used.</summary>
    public const string UnboundVariable = "SWI0005";

    /// <summary>A loop or let binds a name already bound on the same path (including the built-ins row, col and cg).</summary>
    public const string NameBoundTwice = "SWI0006";

    /// <summary>A <c>.next</c> reference or a <c>swap</c> names a buffer that has only one copy.</summary>
    public const string SingleBufferHalf = "SWI0007";

    /// <summary>An LDM reference is not provably inside its buffer: offset &gt;= 0 and offset + count &lt;= elements.</summary>
    public const string LdmOutOfRange = "SWI0008";

    /// <summary>A DMA transfer provably reaches outside its tensor's elements.</summary>
    public const string TensorOutOfRange = "SWI0009";

    /// <summary>A mesh GEMM's constant shape breaks the primitive's shape rules.</summary>
    public const string GemmShape = "SWI0010";

    /// <summary>A tile transfer remains after the boundary pass lowered them all.</summary>
    public const string TileNotLowered = "SWI0011";

    /// <summary>The double-buffering pass cannot turn a write of a double-buffered buffer into a prefetch.</summary>
    public const string DoubleBufferShape = "SWI0012";

    /// <summary>A kernel declares two tensors, buffers or reply words with the same name.</summary>
    public const string DuplicateDeclaration = "SWI0013";

    /// <summary>An element-wise operation has the wrong number or kind of operands, a constant shape that breaks the primitive's rules, or an LDM operand that overlaps its target.</summary>
    public const string ElementwiseShape = "SWI0014";

    /// <summary>A transpose's constant shape breaks the primitive's rules: its target or source does not hold rows x columns elements, or an extent is negative.</summary>
    public const string TransposeShape = "SWI0015";

    /// <summary>A transpose's source provably overlaps its target.</summary>
    public const string TransposeOverlap = "SWI0016";

    /// <summary>A multiply-accumulate's constant shape breaks the primitive's rules (<see cref="Primitives.MultiplyAccumulateRules"/>), or its target provably overlaps its weights or its source.</summary>
    public const string MultiplyAccumulateShape = "SWI0017";
}
