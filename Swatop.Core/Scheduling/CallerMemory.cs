namespace Swatop.Core.Scheduling;

/// <summary>
/// Where the caller of a single operator keeps the activations it passes and takes (every input that is not a constant,
/// and the output): what a call's layout steps start from and end in, and so what the end-to-end time counts.
/// </summary>
public enum CallerMemory
{
    /// <summary>
    /// The framework's tensors lie in the shared memory, row-major (the default): every core group reaches them there,
    /// each byte at the cross-segment cost.
    /// </summary>
    Shared = 0,

    /// <summary>
    /// Each core group's memory holds that group's share of the batch, row-major at the framework's offsets (as a job of
    /// one MPI rank per core group keeps its part of a batch); an activation the batch does not index (a GEMM's right
    /// operand) lies whole in every group's memory. An operator without a batch to share (no batch axis, or fewer images
    /// than core groups) is called as under <see cref="Shared"/> (<see cref="Layouts.CallerHoldings"/>).
    /// </summary>
    CoreGroups = 1,
}
