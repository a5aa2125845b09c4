using System.Text.Json.Serialization;

namespace Swatop.Core.Scheduling;

/// <summary>
/// What a kernel operand is to its algorithm. An implicit GEMM has three: the GEMM's A (M x K) and B
/// (K x N) inputs and its output; epilogue inputs (a bias, a residual) and an algorithm's own tensors
/// (a Winograd transform's) get roles of their own.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperandRole>))]
public enum OperandRole
{
    /// <summary>The GEMM's left input, M x K: the operand that reads the mapping's M axis.</summary>
    [JsonStringEnumMemberName("a")]
    A,

    /// <summary>The GEMM's right input, K x N: the operand that reads the mapping's N axis.</summary>
    [JsonStringEnumMemberName("b")]
    B,

    /// <summary>The output, M x N, accumulated in LDM and put back.</summary>
    [JsonStringEnumMemberName("output")]
    Output,

    /// <summary>An epilogue's per-output-channel bias, a constant input: a vector along the GEMM axis of the channels.</summary>
    [JsonStringEnumMemberName("bias")]
    Bias,

    /// <summary>An epilogue's residual input, an activation of the output's shape, read in the output's arrangement as it is written.</summary>
    [JsonStringEnumMemberName("residual")]
    Residual,
}
