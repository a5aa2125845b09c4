using Swatop.Core.Ir;

namespace Swatop.Core.Lowering;

/// <summary>
/// A lowered kernel's form for a call whose constant input was prepared: the constant is transformed once, by a kernel of
/// its own, into a tensor that lives in each core group's memory across calls, and the calls run a kernel that reads that
/// tensor instead of computing it. The composite Winograd's filter transform (<c>U = G g G^T</c>) is such a constant: the
/// plain kernel computes U at the start of every call, the prepared form computes it once in the prepare step.
/// </summary>
/// <param name="Constant">The operator input the transform reads (a convolution's <c>weights</c>); once prepared, no call takes it.</param>
/// <param name="Tensor">The kernel tensor the transform writes and the run kernel reads, one copy in each core group's memory (a workspace of the plain kernel).</param>
/// <param name="Elements">Elements of <paramref name="Tensor"/> in a core group.</param>
/// <param name="Transform">The kernel of the prepare step: reads <paramref name="Constant"/> in the framework's layout, writes <paramref name="Tensor"/>; every core group runs it into its own copy.</param>
/// <param name="Run">The kernel of a prepared call: the plain kernel's tensors less <paramref name="Constant"/>, with <paramref name="Tensor"/> read only.</param>
public sealed record PreparedForm(string Constant, string Tensor, long Elements, LoopKernel Transform, LoopKernel Run);
