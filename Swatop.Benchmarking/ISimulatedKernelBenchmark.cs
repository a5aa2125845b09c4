using Swatop.Core.Targets;

namespace Swatop.Benchmarking;

/// <summary>
/// A benchmark class whose cases have a kernel with a simulated profile, which <see cref="SimulatedKernelColumn"/>
/// shows beside the host time. The column creates the class, sets its <c>[Params]</c> members to the case's
/// values and asks for the profile, in the process that writes the table: the profile must follow from the
/// parameters alone (the time model is deterministic, so it is the same in every process).
/// </summary>
public interface ISimulatedKernelBenchmark
{
    /// <summary>The simulated profile of the kernel the current parameters describe.</summary>
    KernelProfile SimulatedProfile();
}
