namespace Swatop.Hardware.Sw26010.Tuning;

/// <summary>What <see cref="Sw26010CostModel"/> counts and estimates for one core group's share of a kernel.</summary>
/// <param name="GemmCalls">Mesh GEMM calls.</param>
/// <param name="GetBytes">Bytes the 64 CPEs get, padding of border tiles included.</param>
/// <param name="PutBytes">Bytes the 64 CPEs put, padding included.</param>
/// <param name="ComputeSeconds">The mesh GEMM calls and the output fills.</param>
/// <param name="HiddenDmaSeconds">Gets of double-buffered operands, which overlap the compute.</param>
/// <param name="ExposedDmaSeconds">Gets of single-buffered operands and the puts, which the CPEs wait for.</param>
/// <param name="Seconds">The estimate: exposed DMA, plus the 3-norm of compute and hidden DMA (their imperfect overlap), plus spawn and join.</param>
public sealed record CostAccount(double GemmCalls, double GetBytes, double PutBytes, double ComputeSeconds, double HiddenDmaSeconds, double ExposedDmaSeconds, double Seconds);
