namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>
/// What every description of an SW26010 primitive states alike: its name, what it computes (naming
/// the hardware-free reference in <c>Swatop.Primitives</c> it must agree with), the C functions of
/// <c>swatop_primitives.h</c> the emitted code spells it with, the counting hook of <c>swatop_athread.h</c>
/// its C calls, and the per-CPE counts it adds to. Each primitive's class (<see cref="FillPrimitive"/>,
/// <see cref="ElementwisePrimitive"/>, <see cref="MeshGemmPrimitive"/>, <see cref="DmaPrimitive"/>,
/// <see cref="ConvertPrimitive"/>, <see cref="CopyPrimitive"/>, <see cref="TransposePrimitive"/>, <see cref="MultiplyAccumulatePrimitive"/>, <see cref="ExpPrimitive"/>) holds this and, beside it, the cycle
/// model, the tallies and the C spelling for its own arguments, which the emulator, the cost model,
/// the C emitter and the shim's counts read.
/// </summary>
/// <param name="Name">The primitive's name in messages and documentation.</param>
/// <param name="Semantics">What it computes, naming its reference.</param>
/// <param name="CFunctions">The C functions (or macros) the emitted code calls it by, for every element type; empty when the emitted code has no call of it yet.</param>
/// <param name="CountHook">The counting macro of <c>swatop_athread.h</c> its C calls, or <see langword="null"/> when the shim counts it itself.</param>
/// <param name="Counts">The per-CPE counts it adds to, in the emulator and in the shim alike.</param>
internal sealed record PrimitiveDescription(string Name, string Semantics, IReadOnlyList<string> CFunctions, string? CountHook, IReadOnlyList<ActivityColumn> Counts)
{
    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The vectors of <paramref name="lanes"/> lanes that hold <paramref name="elements"/> elements (the last one partly).</summary>
    internal static long Vectors(long elements, int lanes) => (elements + lanes - 1) / lanes;

    /// <summary>The suffix of a typed C function: <c>d</c> for double, <c>f</c> for float.</summary>
    internal static string Suffix(Swatop.Primitives.ElementType type) => type == Swatop.Primitives.ElementType.Float32 ? "f" : "d";
}
