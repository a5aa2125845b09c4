namespace Swatop.Core.Scheduling;

/// <summary>The stable ids of schedule errors.</summary>
public static class ScheduleDiagnostics
{
    /// <summary>The mapping is not one of the operator's legal GEMM mappings.</summary>
    public const string IllegalMapping = "SWS0001";

    /// <summary>A tile size breaks the mesh GEMM's shape rule (M: 128, N: 32, K: 8) or exceeds the padded extent.</summary>
    public const string IllegalTile = "SWS0002";

    /// <summary>The index or reduction loop order is not a permutation of the operator's loops.</summary>
    public const string IllegalLoopOrder = "SWS0003";

    /// <summary>The window axis or size does not fit the operator.</summary>
    public const string IllegalWindow = "SWS0004";

    /// <summary>A DMA level names no reduction loop.</summary>
    public const string IllegalDmaLevel = "SWS0005";

    /// <summary>The core-group count or split axis does not fit the operator or target.</summary>
    public const string IllegalSplit = "SWS0006";

    /// <summary>The schedule's LDM buffers exceed the target's budget.</summary>
    public const string LdmOverflow = "SWS0007";

    /// <summary>A JSON text is not a schedule.</summary>
    public const string MalformedJson = "SWS0008";

    /// <summary>A named schedule does not apply to the operator.</summary>
    public const string NotApplicable = "SWS0009";

    /// <summary>Blocked layouts were asked for, but no operand has a dimension for each of its GEMM axes.</summary>
    public const string IllegalBlocking = "SWS0010";

    /// <summary>A schedule's operand decisions are not one for each of its algorithm's operands, or give the output a DMA level.</summary>
    public const string IllegalOperands = "SWS0011";

    /// <summary>A schedule keeps a tensor in another placement than its space's constraints require.</summary>
    public const string PlacementMismatch = "SWS0012";

    /// <summary>A schedule merges axes that the operator does not hold as one dimension, or a merged axis as it cannot be placed (blocked, or split in part of a row).</summary>
    public const string IllegalMerge = "SWS0013";

    /// <summary>An im2col schedule's GEMM keeps the column matrix (or the filter) in an arrangement or a share the column step cannot lay out, or the step's buffers exceed the LDM budget.</summary>
    public const string IllegalColumns = "SWS0021";

    /// <summary>An implicit GEMM schedule's output margins do not fit its output, or its input margins an input: a wrong count or tensor, a negative margin, a margin on a blocked or split dimension, or on a merge's dimensions.</summary>
    public const string IllegalMargins = "SWS0022";

    /// <summary>A schedule keeps more bytes in a core group's main memory (the tensors it packs into layouts of its own) than the group has, or the operator's tensors exceed the shared memory.</summary>
    public const string MainMemoryOverflow = "SWS0028";

    /// <summary>An implicit GEMM schedule keeps its in-place operands in the core groups' own memories, but reads and writes none in place.</summary>
    public const string IllegalGroupMemory = "SWS0029";
}
