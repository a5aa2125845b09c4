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
            Comment(c, $"No prepared calls: the operator has no constant input ({string.Join(" and ", lowered.Inputs.Select(t => t.Name))} are activations, as a GEMM's " +
                $"and a custom operator's inputs are), so there is nothing to prepare once; {CNames.Entry(kernel)} is the kernel's one call.");
            c.Line();
            return;
        }

        var constants = string.Join(", ", prepared.Constants.Select(t => t.Name));
        var activations = string.Join(", ", prepared.Activations.Select(t => t.Name));
        var held = string.Join("; ", prepared.Constants.Select(t =>
            t.Name == prepared.Form?.Constant ? $"'{t.Name}' transformed into {prepared.Form.Tensor} in each core group's memory by the CPE function {CNames.CpeFunction(prepared.Form.Transform)}"
            : prepared.IsPerGroup(t.Name) ? $"'{t.Name}' packed into the kernel's layout in each core group's memory by the layout step a plain call packs it with"
            : $"one copy of '{t.Name}' in the framework's layout, where the kernel reads it"));
        var packed = prepared.Activations.Where(t => !lowered.Layouts[t.Name].IsIdentity).Select(t => t.Name).ToList();
        Comment(c,
            $"Prepared calls, for a framework that keeps {constants} constant from call to call. {CNames.Prepare(kernel)} takes {constants} once and returns a handle " +
            $"holding {held}. {CNames.PreparedRun(kernel)} takes the handle, {activations} and the output, packs {(packed.Count == 0 ? "no input" : $"{string.Join(", ", packed)} alone")} " +
            $"and runs {CNames.CpeFunction(prepared.RunKernel)}: its output is the plain call's, bit for bit. The caller may free {constants} once " +
            $"{CNames.Prepare(kernel)} returns; {CNames.Release(kernel)} frees the handle (a null one too). Each returns as {CNames.Entry(kernel)} does: 0, or non-zero " +
            $"after a message on stderr; a null handle or tensor, a wrong length, or (under MPI) a handle another rank prepared gives -1. Under -D{HostFilePrinter.MpiMacro} " +
            $"every rank prepares its own core group's copies and passes its own handle, and {CNames.Entry(kernel)}_gather merges the shares as it merges the plain call's.");
        c.Line($"typedef struct {CNames.PreparedHandle(kernel)} {CNames.PreparedHandle(kernel)};");
        c.Line($"{prepared.PrepareDeclaration()};");
        c.Line($"{prepared.RunDeclaration()};");
        c.Line($"{prepared.ReleaseDeclaration()};");
        c.Line();
    }

    /// <summary>A comment block of <paramref name="text"/>, its lines filled up to 130 characters.</summary>
    private static void Comment(CSourceBuilder c, string text)
    {
        const int width = 130;
        var line = "/*";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length + 1 + word.Length > width && line.Trim().Length > 2)
            {
                c.Line(line);
                line = "  ";
            }

            line += " " + word;
        }

        c.Line(line + " */");
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
