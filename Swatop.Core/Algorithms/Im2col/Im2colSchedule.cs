using System.Globalization;
using System.Text.Json.Serialization;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;

namespace Swatop.Core.Algorithms.Im2col;

/// <summary>
/// A schedule of the explicit im2col convolution: a column step on the CPEs lays out the whole column matrix
/// of the input (<c>[N][Cin * Kh * Kw][Oh][Ow]</c>, in the arrangement the GEMM reads it in), then the mesh
/// GEMM of the 1 x 1 convolution over it runs under <see cref="Gemm"/>, an implicit GEMM schedule of that 1 x 1
/// convolution (<see cref="Im2colAlgorithm.ColumnOperator"/>). Its K is every input channel and tap at once
/// (147 for a 7 x 7 filter of 3 channels, padded to 152, where the implicit GEMM pads 3 channels to 8).
/// The core groups are the GEMM's: <see cref="Schedule.CoreGroups"/> and <see cref="Schedule.SplitAxis"/> repeat its own.
/// </summary>
public sealed record Im2colSchedule : Schedule
{
    /// <summary>The algorithm's name, its schedules' JSON discriminator.</summary>
    public const string AlgorithmName = "im2col";

    /// <inheritdoc/>
    [JsonIgnore]
    public override string Algorithm => AlgorithmName;

    /// <summary>The schedule of the GEMM over the column matrix: an implicit GEMM schedule of the 1 x 1 convolution.</summary>
    public required ImplicitGemmSchedule Gemm { get; init; }

    /// <summary>The schedule that runs <paramref name="gemm"/> over the column matrix, on its core groups.</summary>
    public static Im2colSchedule Of(ImplicitGemmSchedule gemm)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        return new Im2colSchedule { Gemm = gemm, CoreGroups = gemm.CoreGroups, SplitAxis = gemm.SplitAxis };
    }

    /// <summary>Equal when every decision is equal.</summary>
    public bool Equals(Im2colSchedule? other) => base.Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"im2col columns, then {Gemm}");

    /// <inheritdoc/>
    public override string ToCSharp() => string.Create(CultureInfo.InvariantCulture,
        $"new Im2colSchedule\n{{\n    Gemm = {Gemm.ToCSharp().Replace("\n", "\n    ", StringComparison.Ordinal)},\n    CoreGroups = {CoreGroups}, SplitAxis = {(SplitAxis is null ? "null" : $"\"{SplitAxis}\"")},\n}}");

    /// <inheritdoc/>
    private protected override Schedule Checked() => CheckedOf(Gemm) is ImplicitGemmSchedule ? this : throw Malformed("The JSON text is not a schedule: gemm is not an implicit GEMM schedule.");
}
