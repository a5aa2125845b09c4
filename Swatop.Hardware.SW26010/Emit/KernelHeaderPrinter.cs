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

        var prepared = PreparedEntry.For(lowered);
        if (prepared?.Form is { } form)
        {
            c.Line($"/* What every CPE of the prepared form's transform gets: '{form.Constant}' in the framework's layout and its core group's copy of {form.Tensor}. */");
            Params(c, form.Transform, type);
            c.Line($"/* What every CPE of the kernel a prepared call runs gets: the kernel's tensors less '{form.Constant}', with {form.Tensor} as the prepare function left it. */");
            Params(c, form.Run, type);
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
        Prepared(c, lowered, prepared);
        c.Line($"#endif /* {guard} */");
        return c.ToString();
    }

    /// <summary>The prepared calls' declarations and how to call them, or, for a kernel without constants, the sentence that says there are none.</summary>
    private static void Prepared(CSourceBuilder c, LoweredKernel lowered, PreparedEntry? prepared)
    {
        var kernel = lowered.Kernel;
        if (prepared is null)
        {
            c.Line($"/* No prepared calls: the operator has no constant input ({string.Join(" and ", lowered.Inputs.Select(t => t.Name))} are activations both, as a GEMM's and a custom");
            c.Line($"   operator's inputs are), so nothing can be prepared once; {CNames.Entry(kernel)} is the kernel's one call. */");
            c.Line();
            return;
        }

        var constants = string.Join(", ", prepared.Constants.Select(t => t.Name));
        var activations = string.Join(", ", prepared.Activations.Select(t => t.Name));
        c.Line($"/* Prepared calls, for a framework that keeps {constants} constant from call to call: {CNames.Prepare(kernel)} takes {constants} once");
        c.Line(prepared.Form is { } form
            ? $"   and returns a handle holding, in each core group's memory, '{form.Constant}' transformed into {form.Tensor} by the CPE function {CNames.CpeFunction(form.Transform)}{(prepared.Constants.Length > 1 ? " (and the other constants where the kernel reads them)" : "")};"
            : "   and returns a handle holding each core group's copy, packed into the kernel's layout on its CPEs by the layout step a plain call runs (a constant read in the framework's layout is copied once);");
        c.Line($"   {CNames.PreparedRun(kernel)} takes the handle, {activations} and the output, packs {activations} alone and runs {CNames.CpeFunction(prepared.RunKernel)}: the output is the");
        c.Line($"   plain call's, bit for bit. The caller may free {constants} once {CNames.Prepare(kernel)} returns; {CNames.Release(kernel)} frees the handle (a null one too).");
        c.Line($"   Each returns as {CNames.Entry(kernel)} does: 0, or non-zero after a message on stderr; a null handle or tensor, a wrong length, or (under MPI)");
        c.Line($"   a handle another rank prepared gives -1. Under -D{HostFilePrinter.MpiMacro} every rank prepares its own core group's copies and passes its own handle;");
        c.Line($"   the shares are merged by {CNames.Entry(kernel)}_gather as the plain call's are. */");
        c.Line($"typedef struct {CNames.PreparedHandle(kernel)} {CNames.PreparedHandle(kernel)};");
        c.Line($"{prepared.PrepareDeclaration()};");
        c.Line($"{prepared.RunDeclaration()};");
        c.Line($"{prepared.ReleaseDeclaration()};");
        c.Line();
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
