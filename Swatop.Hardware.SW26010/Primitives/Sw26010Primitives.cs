namespace Swatop.Hardware.Sw26010.Primitives;

/// <summary>The descriptions of the SW26010's primitives, one each, for what reads them all: the shim's counts and the checks of the C library.</summary>
internal static class Sw26010Primitives
{
    /// <summary>Every primitive's description.</summary>
    public static IReadOnlyList<PrimitiveDescription> All { get; } =
    [
        FillPrimitive.Description, ElementwisePrimitive.Description, MeshGemmPrimitive.Description,
        DmaPrimitive.Get, DmaPrimitive.Put, DmaPrimitive.Wait, ConvertPrimitive.Description, CopyPrimitive.Description,
        TransposePrimitive.Description, MultiplyAccumulatePrimitive.Description, ExpPrimitive.Description,
    ];
}
