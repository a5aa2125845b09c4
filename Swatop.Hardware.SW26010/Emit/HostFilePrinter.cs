using System.Globalization;
using Swatop.Core;
using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The MPE file of a kernel. Its entry function takes the operator's tensors in the framework's
/// layout with their lengths, and leaves them where they lie: every core group reads and writes them
/// there. For each core group the schedule uses (a host thread each when there are several) it
/// allocates the group's copy of each tensor the kernel keeps in a layout of its own (zeroed, so the
/// padding reads as zeros), then spawns and joins on the group's 64 CPEs the layout steps that pack
/// the inputs into those copies, the kernel, and the step that unpacks the output, each group writing
/// the elements it computed; as the emulator runs a call. The text is C89 as sw5cc takes it (gnu89):
/// declarations first in every block, main memory from <c>malloc</c> with its address rounded up to
/// 128 bytes (no C11 <c>aligned_alloc</c>).
/// </summary>
/// <remarks>
/// The tensors are the kernel's <see cref="LoweredKernel.Operands"/>: its inputs, then its output. The
/// steps are <see cref="StepKernel.For"/>'s, printed into the CPE file beside the kernel.
/// </remarks>
internal static class HostFilePrinter
{
    /// <summary>The MPE file's text, after <paramref name="comment"/>.</summary>
    public static string Print(LoweredKernel lowered, IReadOnlyList<StepKernel> steps, string comment)
    {
        var ic = CultureInfo.InvariantCulture;
        var kernel = lowered.Kernel;
        var type = CNames.ElementType(kernel.ElementType);
        var groups = lowered.Schedule.CoreGroups;
        var inputs = lowered.Inputs;
        var output = lowered.Output;
        var operands = lowered.Operands;
        var layouts = lowered.Layouts;
        var copied = operands.Where(t => !layouts[t.Name].IsIdentity).ToList();
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line("#include <pthread.h>");
        c.Line("#include <stdio.h>");
        c.Line("#include <stdlib.h>");
        c.Line("#include <string.h>");
        c.Line($"#include \"{Shim.AthreadShim.IncludeFileName}\"");
        c.Line($"#include \"{KernelFiles.Header}\"");
        c.Line();
        c.Line($"extern void SLAVE_FUN({CNames.CpeFunction(kernel)})(void *);");
        foreach (var step in steps)
        {
            c.Line($"extern void SLAVE_FUN({CNames.CpeFunction(step.Kernel)})(void *);");
        }

        c.Line();
        c.Line(string.Create(ic, $"#define CORE_GROUPS {groups}"));
        c.Line();
        if (copied.Count > 0)
        {
            c.Line("/* Main memory for DMA, 128-byte aligned and zeroed: a core group's copy of a tensor in the kernel's layout, whose padding the steps leave zero.");
            c.Line("   malloc aligns to 16 bytes at most, so the block has 127 bytes to spare and the address is rounded up; *base is what free takes. */");
            c.Open($"static {type} *allocate(long elements, void **base)");
            c.Line($"const size_t bytes = ((size_t)elements * sizeof({type}) + 127) / 128 * 128;");
            c.Line("char *const raw = malloc((bytes > 0 ? bytes : 128) + 127);");
            c.Line($"{type} *data = NULL;");
            c.Line("*base = raw;");
            c.Open("if (raw != NULL)");
            c.Line($"data = ({type} *)(raw + (128 - (unsigned long)raw % 128) % 128);");
            c.Line("memset(data, 0, bytes);");
            c.Close();
            c.Line("return data;");
            c.Close();
            c.Line();
        }

        c.Line("/* What the host thread of one core group works on. */");
        c.Open("typedef struct");
        c.Line($"const {type} {string.Join(", ", inputs.Select(t => $"*{t.Name}"))}; /* the framework's inputs, shared by the core groups */");
        c.Line($"{type} *{output.Name}; /* the framework's output */");
        c.Line($"{CNames.ParamsType(kernel)} params;");
        if (copied.Count > 0)
        {
            c.Line($"void {string.Join(", ", copied.Select(t => $"*{t.Name}_base"))}; /* the blocks of the copies, for free */");
        }

        c.Line("int status;");
        c.Close(" job_t;");
        c.Line();
        c.Line("/* One core group's MPE: its copies of the tensors the kernel keeps in layouts of its own, then on its 64 CPEs");
        c.Line("   the steps that pack the inputs, the kernel, and the step that unpacks the output, each joined before the next. */");
        c.Open("static void *run_core_group(void *argument)");
        c.Line("job_t *const job = argument;");
        c.Line("const long cg = job->params.cg;");
        foreach (var step in steps)
        {
            c.Line($"{CNames.ParamsType(step.Kernel)} {step.Local};");
        }

        c.Line();
        foreach (var tensor in operands)
        {
            var layout = layouts[tensor.Name];
            c.Line(layout.IsIdentity
                ? $"job->params.{tensor.Name} = {(tensor.Name == output.Name ? "" : $"({type} *)")}job->{tensor.Name}; /* in the framework's layout: used where it lies */"
                : string.Create(ic, $"job->params.{tensor.Name} = allocate({layout.Elements}L, &job->{tensor.Name}_base); /* this core group's copy in the kernel's layout */"));
        }

        if (copied.Count > 0)
        {
            c.Open($"if ({string.Join(" || ", copied.Select(t => $"job->params.{t.Name} == NULL"))})");
            c.Line("job->status = -2;");
            c.Line("return NULL;");
            c.Close();
            c.Line();
        }

        foreach (var step in steps)
        {
            var tensor = step.Step.Tensor.Name;
            var framework = step.Packs ? $"({type} *)job->{tensor}" : $"job->{tensor}";
            c.Line($"{step.Local}.{Core.LayoutSteps.LayoutStepLowering.SourceTensor} = {(step.Packs ? framework : $"job->params.{tensor}")};");
            c.Line($"{step.Local}.{Core.LayoutSteps.LayoutStepLowering.DestinationTensor} = {(step.Packs ? $"job->params.{tensor}" : framework)};");
            c.Line($"{step.Local}.cg = cg;");
            c.Line();
        }

        c.Line("SWATOP_CG_ENTER(cg);");
        foreach (var step in steps.Where(s => s.Packs))
        {
            Spawn(c, CNames.CpeFunction(step.Kernel), $"&{step.Local}");
        }

        Spawn(c, CNames.CpeFunction(kernel), "&job->params");
        foreach (var step in steps.Where(s => !s.Packs))
        {
            Spawn(c, CNames.CpeFunction(step.Kernel), $"&{step.Local}");
        }

        c.Line("SWATOP_CG_LEAVE(cg);");
        c.Line("job->status = 0;");
        c.Line("return NULL;");
        c.Close();
        c.Line();
        c.Line("static int initialized;");
        c.Line();
        c.Open($"void {CNames.Entry(kernel)}_halt(void)");
        c.Open("if (initialized)");
        c.Line("athread_halt();");
        c.Line("initialized = 0;");
        c.Close();
        c.Close();
        c.Line();
        c.Open(KernelHeaderPrinter.EntryDeclaration(lowered));
        var count = operands.Length.ToString(ic);
        c.Line($"const long expected[{count}] = {{ {string.Join(", ", operands.Select(t => $"{t.ElementLength.ToString(ic)}L"))} }};");
        c.Line($"const char *const names[{count}] = {{ {string.Join(", ", operands.Select(t => $"\"{t.Name}\""))} }};");
        c.Line($"long given[{count}];");
        c.Line("job_t jobs[CORE_GROUPS];");
        if (groups > 1)
        {
            c.Line("pthread_t threads[CORE_GROUPS];");
            c.Line("int started[CORE_GROUPS];");
        }

        c.Line("int t, g, status = 0;");
        c.Line();
        for (var i = 0; i < operands.Length; i++)
        {
            c.Line(string.Create(ic, $"given[{i}] = {operands[i].Name}_elements;"));
        }

        c.Open($"for (t = 0; t < {count}; t++)");
        c.Open("if (given[t] != expected[t])");
        c.Line($"fprintf(stderr, \"{CNames.Entry(kernel)}: tensor '%s' has %ld elements; the operator needs %ld.\\n\", names[t], given[t], expected[t]);");
        c.Line("return -1;");
        c.Close();
        c.Close();
        c.Line();
        c.Open("if (!initialized)");
        c.Line("athread_init();");
        c.Line("initialized = 1;");
        c.Close();
        c.Line();
        c.Line("memset(jobs, 0, sizeof jobs);");
        c.Open("for (g = 0; g < CORE_GROUPS; g++)");
        foreach (var tensor in operands)
        {
            c.Line($"jobs[g].{tensor.Name} = {tensor.Name};");
        }

        c.Line("jobs[g].params.cg = g;");
        c.Line("jobs[g].status = -3;");
        c.Close();
        c.Line();
        if (layouts[output.Name].IsIdentity)
        {
            c.Line("/* The kernel computes into the framework's output where it lies, from zero. */");
            c.Line($"memset({output.Name}, 0, (size_t){output.Name}_elements * sizeof({type}));");
        }

        if (groups == 1)
        {
            c.Line("run_core_group(&jobs[0]);");
        }
        else
        {
            c.Line("/* A host thread per core group. */");
            c.Open("for (g = 0; g < CORE_GROUPS; g++)");
            c.Line("started[g] = pthread_create(&threads[g], NULL, run_core_group, &jobs[g]) == 0;");
            c.Close();
            c.Open("for (g = 0; g < CORE_GROUPS; g++)");
            c.Line("if (started[g]) pthread_join(threads[g], NULL);");
            c.Close();
        }

        c.Line();
        c.Open("for (g = 0; g < CORE_GROUPS; g++)");
        c.Line("if (jobs[g].status != 0) status = jobs[g].status;");
        foreach (var tensor in copied)
        {
            c.Line($"free(jobs[g].{tensor.Name}_base);");
        }

        c.Close();
        c.Line("if (status != 0) fprintf(stderr, \"" + CNames.Entry(kernel) + ": %s.\\n\", status == -2 ? \"out of memory for the kernel's tensors\" : \"a core group's host thread did not start\");");
        c.Line("return status;");
        c.Close();
        return c.ToString();
    }

    /// <summary>The spawn of <paramref name="function"/> on the core group's CPEs with <paramref name="arguments"/>, and its join.</summary>
    private static void Spawn(CSourceBuilder c, string function, string arguments)
    {
        c.Line($"athread_spawn({function}, {arguments});");
        c.Line("athread_join();");
    }
}
