using Swatop.Core;
using Swatop.Hardware.Sw26010.Emit.Verification;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>The host check of a network's emitted C (<see cref="TunedNetwork.Emit"/>) for the SW26010.</summary>
public static class Sw26010NetworkEmission
{
    /// <summary>
    /// Builds <paramref name="network"/>'s emitted C with gcc against the athread shim, runs it once on the constants and
    /// inputs drawn from <paramref name="seed"/> that its emulator run takes, and compares every node's value and every output
    /// with the emulator's (<see cref="EmittedNetworkCheck"/>).
    /// </summary>
    /// <param name="network">A network tuned for the SW26010.</param>
    /// <param name="seed">Seeds the inputs (and the constants of a network that does not carry them).</param>
    /// <param name="options">The compiler, sanitizers and run timeout; the defaults when null.</param>
    /// <returns>Every node's and output's comparison.</returns>
    /// <exception cref="ArgumentException">The network was not tuned for the SW26010.</exception>
    /// <exception cref="GccShimException">gcc is missing, the compile or the run failed, or a node's value does not match; the message names the node and the folder its files are kept in.</exception>
    public static EmittedNetworkCheck VerifyEmittedC(this TunedNetwork network, int seed, GccShimOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Tuning.Target is not Sw26010Target)
        {
            throw new ArgumentException($"The network was tuned for target '{network.Tuning.Target.Name}'; only an SW26010 network's C is checked here.", nameof(network));
        }

        return EmittedNetworkCheck.Run(network, seed, options);
    }
}
