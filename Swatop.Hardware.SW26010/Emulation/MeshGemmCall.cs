namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>One CPE's arguments to a mesh GEMM: the whole-mesh shape and its own three blocks.</summary>
internal readonly record struct MeshGemmCall(int M, int N, int K, LdmSpan A, LdmSpan B, LdmSpan C);
