using System.Collections.Immutable;
using Swatop.Core;
using Swatop.Core.Ir;
using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// A single kernel's prepared calls as its emitted C spells them, beside the plain entry function: a prepare function takes the
/// operator's constant inputs once (<see cref="OperatorSpec.ConstantInputs"/>, a convolution's <c>weights</c>, a fully connected
/// layer's <c>W</c>, an epilogue's <c>bias</c>) and returns a handle holding them where the kernel reads them: each core group's
/// copy packed into the kernel's layout by the layout step a plain call runs, or, for the constant of the kernel's prepared form
/// (<see cref="LoweredKernel.Prepared"/>, the composite Winograd's filters), each core group's copy of the tensor the form's
/// transform kernel makes of it; a constant read in the framework's layout is copied into the handle once. A run function takes the
/// handle, the other inputs and the output and runs what <c>Sw26010Kernel.Prepare(...).Run(...)</c> runs: the packs of the other
/// inputs alone, the kernel (the form's run kernel where there is a form), the unpack; a release function frees the handle. This
/// is the emitted C's counterpart of <c>KernelInvocation.Prepare</c> and a prepared call.
/// </summary>
/// <param name="Lowered">The kernel.</param>
/// <param name="Constants">The inputs the prepare function takes, in the order of the kernel's inputs.</param>
/// <param name="Form">The prepared form whose constant is among <paramref name="Constants"/>, or null when preparing only packs or copies.</param>
internal sealed record PreparedEntry(LoweredKernel Lowered, ImmutableArray<TensorDeclaration> Constants, PreparedForm? Form)
{
    /// <summary>
    /// The prepared calls of <paramref name="lowered"/>, or null when its operator has no constant input (a GEMM's and a custom
    /// operator's inputs are activations both), in which case the emitted C has the plain entry function alone.
    /// </summary>
    public static PreparedEntry? For(LoweredKernel lowered)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        var names = lowered.Operator.ConstantInputs;
        var constants = lowered.Inputs.Where(t => names.Contains(t.Name)).ToImmutableArray();
        if (constants.IsEmpty || constants.Length == lowered.Inputs.Length)
        {
            return null;
        }

        var form = lowered.Prepared is { } f && constants.Any(t => t.Name == f.Constant) ? f : null;
        return new PreparedEntry(lowered, constants, form);
    }

    /// <summary>The inputs a run takes each call: the kernel's inputs less the constants, in their order.</summary>
    public ImmutableArray<TensorDeclaration> Activations => [.. Lowered.Inputs.Where(t => !IsConstant(t.Name))];

    /// <summary>The tensors a run's lengths are checked for: the activations, then the output.</summary>
    public ImmutableArray<TensorDeclaration> RunOperands => Activations.Add(Lowered.Output);

    /// <summary>The loop kernel a run spawns: the form's run kernel, else the plain kernel.</summary>
    public LoopKernel RunKernel => Form?.Run ?? Lowered.Kernel;

    /// <summary>Whether the input <paramref name="name"/> is one of the constants.</summary>
    public bool IsConstant(string name) => Constants.Any(t => t.Name == name);

    /// <summary>Whether the handle holds a copy of the constant <paramref name="name"/> in each core group (packed, or transformed by the form), rather than one copy in the framework's layout.</summary>
    public bool IsPerGroup(string name) => name == Form?.Constant || !Lowered.Layouts[name].IsIdentity;

    /// <summary>
    /// The handle's field that holds the constant <paramref name="name"/>: the form's tensor for the form's constant, else the
    /// constant's own name.
    /// </summary>
    public string Field(string name) => name == Form?.Constant ? Form.Tensor : name;

    /// <summary>Elements of the constant <paramref name="name"/>'s copy in the handle: of the form's tensor, of the kernel's layout, or of the framework's.</summary>
    public long CopyElements(string name) => name == Form?.Constant ? Form.Elements : Lowered.Layouts[name].Elements;

    /// <summary>The prepare function's declarator: each constant and its length in elements, then the address the handle is returned to.</summary>
    public string PrepareDeclaration()
    {
        var kernel = Lowered.Kernel;
        var type = CNames.ElementType(kernel.ElementType);
        var constants = Constants.Select(t => $"const {type} *{t.Name}, long {t.Name}_elements");
        return $"int {CNames.Prepare(kernel)}({string.Join(", ", constants)}, {CNames.PreparedHandle(kernel)} **prepared)";
    }

    /// <summary>The run function's declarator: the handle, each activation and its length, then the output and its length.</summary>
    public string RunDeclaration()
    {
        var kernel = Lowered.Kernel;
        var type = CNames.ElementType(kernel.ElementType);
        var inputs = Activations.Select(t => $"const {type} *{t.Name}, long {t.Name}_elements");
        var output = Lowered.Output;
        return $"int {CNames.PreparedRun(kernel)}(const {CNames.PreparedHandle(kernel)} *prepared, {string.Join(", ", inputs)}, {type} *{output.Name}, long {output.Name}_elements)";
    }

    /// <summary>The release function's declarator.</summary>
    public string ReleaseDeclaration() => $"void {CNames.Release(Lowered.Kernel)}({CNames.PreparedHandle(Lowered.Kernel)} *prepared)";
}
