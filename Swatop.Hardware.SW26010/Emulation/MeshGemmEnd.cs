using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// How a mesh GEMM call ends on the clock of each of its 64 CPEs: it waits for the last arrival at
/// <paramref name="Start"/> and spends <paramref name="Spent"/> cycles. A CPE that waited in the
/// call takes it when it resumes, so the last arrival does not reach into the 63 others.
/// </summary>
/// <param name="Start">The cycle the last CPE arrived at.</param>
/// <param name="Spent">The cycles of the call.</param>
internal readonly record struct MeshGemmEnd(double Start, double Spent)
{
    /// <summary>The cycle every member's clock reads after the call: no member arrived after <see cref="Start"/>.</summary>
    internal double Cycle => Start + Spent;

    /// <summary>Ends the call on <paramref name="clock"/>.</summary>
    internal void ApplyTo(ref CpeClock clock)
    {
        clock.WaitUntil(Start, WaitKind.Rlc);
        clock.Spend(Spent);
    }
}
