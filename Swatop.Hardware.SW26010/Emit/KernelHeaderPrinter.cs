using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The kernel's header, included by the framework, the MPE file and the CPE file: the parameter
/// struct the MPE hands to <c>athread_spawn</c> (one internal tensor pointer per kernel tensor and the
/// core group's index), one for each layout step (its source and destination and the core group), and
/// the entry function's declaration.
/// </summary>
internal static class KernelHeaderPrinter
{
    /// <summary>The header's text, after <paramref name="comment"/>.</summary>
    public static string Print(LoweredKernel lowered, IReadOnlyList<StepKernel> steps, string comment)
    {
        var kernel = lowered.Kernel;
        var expression = lowered.Operator.Expression;
        var type = CNames.ElementType(kernel.ElementType);
        var guard = $"SWATOP_{kernel.Name.ToUpperInvariant()}_H";
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line($"#ifndef {guard}");
        c.Line($"#define {guard}");
        c.Line();
        c.Line("/* What every CPE gets: the tensors in the kernel's layouts, in its core group's memory. */");
        Params(c, kernel, type);
        foreach (var step in steps)
        {
            c.Line($"/* What every CPE of the layout step '{step.Step.Name}' gets: {(step.Packs ? "the framework's tensor and its core group's copy" : "its core group's copy and the framework's tensor")}. */");
            Params(c, step.Kernel, type);
        }

        c.Line($"/* {lowered.Operator.Signature}: {expression.Output.Tensor} = {expression.Left.Tensor} * {expression.Right.Tensor}, row-major framework layouts.");
        c.Line("   The lengths are checked against the operator's; returns 0, or non-zero after a message on stderr.");
        c.Line("   The first call initializes athread; call the _halt function once at the end.");
        c.Line($"   Built with -D{HostFilePrinter.MpiMacro} (as the Makefile builds it for the Sunway), every MPI rank, one per core group, calls it");
        c.Line($"   with the same inputs and gets its core group's share of {lowered.Output.Name}, zeros elsewhere; the _gather function, called by");
        c.Line("   every rank, then merges the shares into rank 0's. Without it the call computes the whole output. */");
        c.Line($"{EntryDeclaration(lowered)};");
        c.Line($"int {CNames.Entry(kernel)}_gather({type} *{lowered.Output.Name}, long {lowered.Output.Name}_elements);");
        c.Line($"void {CNames.Entry(kernel)}_halt(void);");
        c.Line();
        c.Line($"#endif /* {guard} */");
        return c.ToString();
    }

    /// <summary>The parameter struct of <paramref name="kernel"/>, then an empty line.</summary>
    internal static void Params(CSourceBuilder c, Core.Ir.LoopKernel kernel, string type)
    {
        c.Open("typedef struct");
        foreach (var tensor in kernel.Tensors)
        {
            c.Line($"{type} *{tensor.Name}; /* {tensor.Elements} elements{(tensor.IsOutput ? ", written" : "")} */");
        }

        c.Line("long cg; /* the core group, 0 .. CORE_GROUPS - 1 */");
        c.Close($" {CNames.ParamsType(kernel)};");
        c.Line();
    }

    /// <summary>
    /// The entry function's declarator: for each of the kernel's <see cref="LoweredKernel.Operands"/> (the
    /// inputs, read only, then the output) a pointer to its framework tensor and its length in elements.
    /// </summary>
    public static string EntryDeclaration(LoweredKernel lowered)
    {
        var type = CNames.ElementType(lowered.Kernel.ElementType);
        var inputs = lowered.Inputs.Select(t => $"const {type} *{t.Name}, long {t.Name}_elements");
        var output = lowered.Output;
        return $"int {CNames.Entry(lowered.Kernel)}({string.Join(", ", inputs)}, {type} *{output.Name}, long {output.Name}_elements)";
    }
}
