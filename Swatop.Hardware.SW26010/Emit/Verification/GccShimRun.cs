using Swatop.Hardware.Sw26010.Emit.Shim;

namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>What one run of a host build did.</summary>
/// <param name="ExitCode">The process's exit code; 128 + the signal when a signal ended it (134 for the shim's aborts).</param>
/// <param name="StandardOutput">What it printed.</param>
/// <param name="StandardError">What it printed as errors: the shim's messages, the sanitizers' reports.</param>
/// <param name="Counts">Each CPE's counts, or empty when the program did not exit normally.</param>
internal sealed record GccShimRun(int ExitCode, string StandardOutput, string StandardError, IReadOnlyList<ShimCpeCounts> Counts)
{
    /// <summary>The exit code of a process that <c>abort()</c> ended.</summary>
    public const int AbortExitCode = 128 + 6;
}
