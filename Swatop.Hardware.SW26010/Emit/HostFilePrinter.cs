using System.Globalization;
using Swatop.Core;
using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The MPE file of a kernel. Its entry function takes the operator's tensors in the framework's
/// layout with their lengths, and leaves them where they lie: every core group reads and writes them
/// there. A core group's share of a call allocates the group's copy of each tensor the kernel keeps in
/// a layout of its own (zeroed, so the padding reads as zeros), then spawns and joins on the group's
/// 64 CPEs the layout steps that pack the inputs into those copies, the kernel, and the step that
/// unpacks the output, writing the elements the group computed; as the emulator runs a call. A step that runs on the
/// MPE (a small one, for which a spawn costs more than the copy) is a copy loop of this file instead (<see cref="HostStepPrinter"/>).
/// </summary>
/// <remarks>
/// <para>
/// The launch is one MPI rank per core group, the way TaihuLight jobs drive a chip (<c>bsub -n G -cgsp 64</c>
/// gives each of G processes its own core group, and <c>athread_init</c> in each claims it): built with
/// <see cref="MpiMacro"/> (the Makefile's MPE defines), rank r runs core group r's share into its own
/// zeroed output, and <c>_gather</c> merges the ranks' outputs into rank 0's as their bitwise OR, which is
/// exact because the shares are disjoint. Without it (the host shim's build) one process runs every
/// share in turn, each into its own zeroed copy of the output when there are several, and merges them
/// the same way, so a share that wrote outside its elements would show on the host too.
/// </para>
/// <para>
/// The tensors are the kernel's <see cref="LoweredKernel.Operands"/>: its inputs, then its output, and its workspaces (<see cref="Core.Scheduling.SchedulePlan.Workspaces"/>), allocated zeroed in each core group's share. The
/// steps are <see cref="StepKernel.For"/>'s, printed into the CPE file beside the kernel. The text is C89
/// as sw5cc takes it (gnu89): declarations first in every block, main memory from <c>malloc</c> with its
/// address rounded up to 128 bytes (no C11 <c>aligned_alloc</c>).
/// </para>
/// </remarks>
internal static class HostFilePrinter
{
    /// <summary>The macro that selects the MPI launch, one rank per core group; the emitted Makefile's MPE defines set it for the real machine.</summary>
    public const string MpiMacro = "SWATOP_MPI";

    /// <summary>The MPE file's text, after <paramref name="comment"/>.</summary>
    public static string Print(LoweredKernel lowered, IReadOnlyList<StepKernel> steps, string comment)
    {
        var kernel = lowered.Kernel;
        var type = CNames.ElementType(kernel.ElementType);
        var groups = lowered.Schedule.CoreGroups;
        var prepared = PreparedEntry.For(lowered);
        var plain = new ShareCall(lowered, null);
        var calls = prepared is null ? [plain] : new[] { plain, new ShareCall(lowered, prepared) };
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line("#include <stdio.h>");
        c.Line("#include <stdlib.h>");
        c.Line("#include <string.h>");
        c.Line($"#include \"{Shim.AthreadShim.IncludeFileName}\"");
        c.Line($"#include \"{KernelFiles.Header}\"");
        c.Directive($"#ifdef {MpiMacro}");
        c.Line("#include <mpi.h>");
        c.Directive("#endif");
        c.Line();
        c.Line($"extern void SLAVE_FUN({CNames.CpeFunction(kernel)})(void *);");
        foreach (var step in steps)
        {
            c.Line($"extern void SLAVE_FUN({CNames.CpeFunction(step.Kernel)})(void *);");
        }

        if (prepared?.Form is { } form)
        {
            c.Line($"extern void SLAVE_FUN({CNames.CpeFunction(form.Transform)})(void *);");
            c.Line($"extern void SLAVE_FUN({CNames.CpeFunction(form.Run)})(void *);");
        }

        c.Line();
        c.Line(string.Create(CultureInfo.InvariantCulture, $"#define CORE_GROUPS {groups} /* MPI ranks of a job: one per core group */"));
        c.Line();
        if (plain.Copied.Count > 0 || groups > 1 || prepared is not null)
        {
            Allocate(c, type);
        }

        if (prepared is not null)
        {
            PreparedFunctionsPrinter.Handle(c, prepared, type);
        }

        foreach (var call in calls)
        {
            Job(c, call, type);
        }

        foreach (var step in steps.Where(s => s.OnMpe))
        {
            HostStepPrinter.Print(c, step.Step, step.HostFunction, type);
        }

        foreach (var call in calls)
        {
            RunCoreGroup(c, call, steps, type);
        }

        c.Line("static int initialized;");
        c.Line();
        c.Open($"void {CNames.Entry(kernel)}_halt(void)");
        c.Open("if (initialized)");
        c.Line("athread_halt();");
        c.Line("initialized = 0;");
        c.Close();
        c.Close();
        c.Line();
        Entry(c, plain, type);
        c.Line();
        Gather(c, lowered, type);
        if (prepared is not null)
        {
            c.Line();
            PreparedFunctionsPrinter.Print(c, prepared, steps, type);
            c.Line();
            Entry(c, calls[1], type);
        }

        return c.ToString();
    }

    /// <summary>The allocator of main memory the CPEs reach by DMA.</summary>
    private static void Allocate(CSourceBuilder c, string type)
    {
        c.Line("/* Main memory for DMA, 128-byte aligned and zeroed: a core group's copy of a tensor in the kernel's layout, whose padding");
        c.Line("   the steps leave zero, or its share of the output. malloc aligns to 16 bytes at most, so the block has 127 bytes to");
        c.Line("   spare and the address is rounded up; *base is what free takes. */");
        ZeroedAllocator.Print(c, type, "void **base", "*base");
        c.Line();
    }

    /// <summary>The struct of what one core group's share of <paramref name="call"/> works on.</summary>
    private static void Job(CSourceBuilder c, ShareCall call, string type)
    {
        var lowered = call.Lowered;
        c.Line(call.Prepared is null ? "/* What one core group's share of a call works on. */" : "/* What one core group's share of a prepared call works on. */");
        c.Open("typedef struct");
        c.Line($"const {type} {string.Join(", ", call.Inputs.Select(t => $"*{t.Name}"))}; /* the framework's inputs */");
        c.Line($"{type} *{lowered.Output.Name}; /* the output this share writes its elements into, zeroed elsewhere */");
        c.Line($"{CNames.ParamsType(call.Kernel)} params;");
        if (call.Copied.Count > 0)
        {
            c.Line($"void {string.Join(", ", call.Copied.Select(t => $"*{t}_base"))}; /* the blocks of the copies, for free */");
        }

        if (call.Prepared is not null)
        {
            c.Line($"const {CNames.PreparedHandle(lowered.Kernel)} *{PreparedFunctionsPrinter.JobHandle}; /* the constants, prepared once */");
        }

        c.Line("int status;");
        c.Close($" {call.JobType};");
        c.Line();
    }

    /// <summary>One core group's share of <paramref name="call"/>: its copies, then the steps and the kernel spawned and joined in turn.</summary>
    private static void RunCoreGroup(CSourceBuilder c, ShareCall call, IReadOnlyList<StepKernel> steps, string type)
    {
        var ic = CultureInfo.InvariantCulture;
        var lowered = call.Lowered;
        var output = lowered.Output;
        var prepared = call.Prepared;
        var copied = call.Copied;
        var used = steps.Where(s => !s.Packs || prepared is null || !prepared.IsConstant(s.Step.Tensor.Name)).ToList();
        if (prepared is null)
        {
            c.Line("/* One core group's share on the core group this MPE drives: its copies of the tensors the kernel keeps in layouts of its own,");
            c.Line("   then on its 64 CPEs the steps that pack the inputs, the kernel, and the step that unpacks the output, each joined before");
            c.Line("   the next; the copies are freed after. */");
        }
        else
        {
            c.Line("/* One core group's share of a prepared call: as run_core_group, but the constants are the handle's (this core group's");
            c.Line($"   copies, packed{(prepared.Form is null ? "" : " or transformed")} once), so only the other inputs are packed, and the kernel spawned is {CNames.CpeFunction(call.Kernel)}. */");
        }

        c.Open($"static void {call.Function}({call.JobType} *job)");
        c.Line("const long cg = job->params.cg;");
        foreach (var step in used)
        {
            c.Line($"{CNames.ParamsType(step.Kernel)} {step.Local};");
        }

        c.Line();
        foreach (var tensor in lowered.Operands)
        {
            var layout = lowered.Layouts[tensor.Name];
            if (prepared is not null && prepared.IsConstant(tensor.Name))
            {
                if (tensor.Name != prepared.Form?.Constant)
                {
                    var handle = $"job->{PreparedFunctionsPrinter.JobHandle}->{tensor.Name}";
                    c.Line(prepared.IsPerGroup(tensor.Name)
                        ? $"job->params.{tensor.Name} = {handle}[cg]; /* prepared: this core group's copy, packed once */"
                        : $"job->params.{tensor.Name} = {handle}; /* prepared: copied once, in the framework's layout */");
                }

                continue;
            }

            c.Line(layout.IsIdentity
                ? $"job->params.{tensor.Name} = {(tensor.Name == output.Name ? "" : $"({type} *)")}job->{tensor.Name}; /* in the framework's layout: used where it lies */"
                : string.Create(ic, $"job->params.{tensor.Name} = allocate({layout.Elements}L, &job->{tensor.Name}_base); /* this core group's copy in the kernel's layout */"));
        }

        foreach (var (name, elements) in lowered.Plan.Workspaces)
        {
            c.Line(name == prepared?.Form?.Tensor
                ? $"job->params.{name} = job->{PreparedFunctionsPrinter.JobHandle}->{name}[cg]; /* prepared: the constant transformed once, this core group's copy */"
                : string.Create(ic, $"job->params.{name} = allocate({elements}L, &job->{name}_base); /* this core group's workspace, zeroed */"));
        }

        if (copied.Count > 0)
        {
            c.Open($"if ({string.Join(" || ", copied.Select(t => $"job->params.{t} == NULL"))})");
            c.Line("job->status = -2;");
            FreeCopies(c, copied);
            c.Line("return;");
            c.Close();
            c.Line();
        }

        foreach (var step in used)
        {
            var tensor = step.Step.Tensor.Name;
            var framework = step.Packs ? $"({type} *)job->{tensor}" : $"job->{tensor}";
            c.Line($"{step.Local}.{Core.LayoutSteps.LayoutStepLowering.SourceTensor} = {(step.Packs ? framework : $"job->params.{tensor}")};");
            c.Line($"{step.Local}.{Core.LayoutSteps.LayoutStepLowering.DestinationTensor} = {(step.Packs ? $"job->params.{tensor}" : framework)};");
            c.Line($"{step.Local}.cg = cg;");
            c.Line();
        }

        if (used.Count == 0 && !(prepared?.Constants.Any(t => prepared.IsPerGroup(t.Name)) ?? false))
        {
            c.Line("(void)cg;");
        }

        foreach (var step in used.Where(s => s.Packs))
        {
            RunStep(c, step);
        }

        Spawn(c, CNames.CpeFunction(call.Kernel), "&job->params");
        foreach (var step in used.Where(s => !s.Packs))
        {
            RunStep(c, step);
        }

        FreeCopies(c, copied);
        c.Line("job->status = 0;");
        c.Close();
        c.Line();
    }

    private static void FreeCopies(CSourceBuilder c, List<string> copied)
    {
        foreach (var tensor in copied)
        {
            c.Line($"free(job->{tensor}_base);");
        }
    }

    /// <summary>
    /// The entry function of <paramref name="call"/>: the lengths checked (and a prepared call's handle), then this rank's share
    /// (under MPI) or every share in turn.
    /// </summary>
    private static void Entry(CSourceBuilder c, ShareCall call, string type)
    {
        var lowered = call.Lowered;
        var prepared = call.Prepared;
        var entry = prepared is null ? CNames.Entry(lowered.Kernel) : CNames.PreparedRun(lowered.Kernel);
        var operands = prepared is null ? lowered.Operands : prepared.RunOperands;
        var output = lowered.Output.Name;
        var groups = lowered.Schedule.CoreGroups;
        if (prepared is null)
        {
            c.Line("/* Under MPI every rank (one per core group, CORE_GROUPS of them) calls this with the same inputs and runs its core group's");
            c.Line($"   share: its output holds the elements its core group computed and zeros elsewhere ({CNames.Entry(lowered.Kernel)}_gather merges the ranks').");
            c.Line("   Without MPI the process runs every core group's share in turn on the core group it drives, and returns the whole output. */");
            c.Open(KernelHeaderPrinter.EntryDeclaration(lowered));
        }
        else
        {
            c.Line($"/* The prepared call: as {CNames.Entry(lowered.Kernel)}, with the constants the handle holds. Under MPI each rank passes the handle its own");
            c.Line($"   {CNames.Prepare(lowered.Kernel)} returned; a null handle or tensor, a handle of other core groups or a wrong length returns -1. */");
            c.Open(prepared.RunDeclaration());
        }

        MpeEntryPrinter.Declarations(c, operands, pointers: prepared is not null);
        c.Line($"{call.JobType} job;");
        c.Line("int t, g, first, last, status = 0;");
        c.Directive($"#ifdef {MpiMacro}");
        c.Line("int rank, ranks, worst;");
        if (groups > 1)
        {
            c.Directive("#else");
            c.Line($"{type} *share = NULL;");
            c.Line("void *share_base = NULL;");
            c.Line("long i;");
        }

        c.Directive("#endif");
        c.Line();
        if (prepared is not null)
        {
            c.Open("if (prepared == NULL)");
            c.Line($"fprintf(stderr, \"{entry}: the handle is null; call {CNames.Prepare(lowered.Kernel)} first.\\n\");");
            c.Line("return -1;");
            c.Close();
        }

        MpeEntryPrinter.Lengths(c, entry, operands, pointers: prepared is not null);
        c.Line();
        MpeEntryPrinter.CoreGroups(c, entry);
        if (prepared is not null)
        {
            var handle = PreparedFunctionsPrinter.HandleFirst;
            var end = PreparedFunctionsPrinter.HandleLast;
            c.Open($"if (prepared->{handle} != first || prepared->{end} != last)");
            c.Line($"fprintf(stderr, \"{entry}: the handle holds core groups %d to %d; this call runs %d to %d.\\n\", prepared->{handle}, prepared->{end} - 1, first, last - 1);");
            c.Line("return -1;");
            c.Close();
        }

        MpeEntryPrinter.ClaimCoreGroup(c);
        c.Line();
        c.Line($"memset({output}, 0, (size_t){output}_elements * sizeof({type}));");
        c.Open("for (g = first; g < last; g++)");
        c.Line("memset(&job, 0, sizeof job);");
        foreach (var tensor in call.Inputs)
        {
            c.Line($"job.{tensor.Name} = {tensor.Name};");
        }

        c.Line($"job.{output} = {output};");
        if (prepared is not null)
        {
            c.Line($"job.{PreparedFunctionsPrinter.JobHandle} = prepared;");
        }

        if (groups > 1)
        {
            c.Directive($"#ifndef {MpiMacro}");
            c.Line("/* as a rank would: into its own zeroed output */");
            c.Line($"job.{output} = share = allocate({output}_elements, &share_base);");
            c.Open("if (share == NULL)");
            c.Line("status = -2;");
            c.Line("break;");
            c.Close();
            c.Directive("#endif");
        }

        c.Line("job.params.cg = g;");
        c.Line("job.status = -3;");
        c.Line($"{call.Function}(&job);");
        c.Line("if (job.status != 0) status = job.status;");
        if (groups > 1)
        {
            c.Directive($"#ifndef {MpiMacro}");
            c.Line($"/* merged as {CNames.Entry(lowered.Kernel)}_gather merges the ranks' outputs: a bitwise OR, exact for disjoint shares */");
            c.Line($"for (i = 0; i < {output}_elements * (long)sizeof({type}); i++) ((unsigned char *){output})[i] |= ((unsigned char *)share)[i];");
            c.Line("free(share_base);");
            c.Directive("#endif");
        }

        c.Close();
        MpeEntryPrinter.AgreeStatus(c);
        c.Line($"if (status != 0) fprintf(stderr, \"{entry}: %s.\\n\", status == -2 ? \"out of memory for the kernel's tensors\" : \"a core group's share did not run\");");
        c.Line("return status;");
        c.Close();
    }

    /// <summary>The gather: under MPI, the ranks' outputs merged into rank 0's; without it, nothing to do.</summary>
    private static void Gather(CSourceBuilder c, LoweredKernel lowered, string type)
    {
        var entry = CNames.Entry(lowered.Kernel);
        var output = lowered.Output.Name;
        c.Line("/* Under MPI, merges the ranks' outputs into rank 0's: each holds its core group's elements and zeros elsewhere, and the");
        c.Line("   shares are disjoint, so their bitwise OR is the whole output, bit for bit. Every rank calls it after the entry function.");
        c.Line("   Without MPI the entry function ran every share already. */");
        c.Open($"int {entry}_gather({type} *{output}, long {output}_elements)");
        c.Directive($"#ifdef {MpiMacro}");
        c.Line("const long chunk = 1L << 30; /* bytes a reduction moves at most: its count is an int */");
        c.Line($"const long total = {output}_elements * (long)sizeof({type});");
        c.Line($"unsigned char *const bytes = (unsigned char *){output};");
        c.Line("long at;");
        c.Line("int rank;");
        c.Line("MPI_Comm_rank(MPI_COMM_WORLD, &rank);");
        c.Open("for (at = 0; at < total; at += chunk)");
        c.Line("const int count = (int)(total - at < chunk ? total - at : chunk);");
        c.Open("if (MPI_Reduce(rank == 0 ? MPI_IN_PLACE : bytes + at, bytes + at, count, MPI_BYTE, MPI_BOR, 0, MPI_COMM_WORLD) != MPI_SUCCESS)");
        c.Line("return -5;");
        c.Close();
        c.Close();
        c.Line("return 0;");
        c.Directive("#else");
        c.Line($"(void){output};");
        c.Line($"(void){output}_elements;");
        c.Line("return 0;");
        c.Directive("#endif");
        c.Close();
    }

    /// <summary>A step: its kernel spawned on the core group's CPEs, or, where it runs on the MPE, its host copy called.</summary>
    private static void RunStep(CSourceBuilder c, StepKernel step)
    {
        if (step.OnMpe)
        {
            c.Line($"{step.HostFunction}({step.Local}.{Core.LayoutSteps.LayoutStepLowering.SourceTensor}, {step.Local}.{Core.LayoutSteps.LayoutStepLowering.DestinationTensor}, cg); /* on the MPE: faster than a spawn */");
            return;
        }

        Spawn(c, CNames.CpeFunction(step.Kernel), $"&{step.Local}");
    }

    /// <summary>The spawn of <paramref name="function"/> on the core group's CPEs with <paramref name="arguments"/>, and its join.</summary>
    private static void Spawn(CSourceBuilder c, string function, string arguments)
    {
        c.Line($"athread_spawn({function}, {arguments});");
        c.Line("athread_join();");
    }

    /// <summary>
    /// A call of the MPE file, as its share of a core group runs it: the plain entry's (<paramref name="Prepared"/> null), or a
    /// prepared call's, whose constants the handle holds.
    /// </summary>
    private sealed record ShareCall(LoweredKernel Lowered, PreparedEntry? Prepared)
    {
        /// <summary>The struct of a share's job.</summary>
        public string JobType => Prepared is null ? "job_t" : "prepared_job_t";

        /// <summary>The function that runs a share.</summary>
        public string Function => Prepared is null ? "run_core_group" : "run_core_group_prepared";

        /// <summary>The loop kernel a share spawns.</summary>
        public Core.Ir.LoopKernel Kernel => Prepared?.RunKernel ?? Lowered.Kernel;

        /// <summary>The inputs a call takes from the framework.</summary>
        public IReadOnlyList<TensorDeclaration> Inputs => Prepared is null ? Lowered.Inputs : Prepared.Activations;

        /// <summary>The tensors a share allocates and frees: its copies of the given tensors the kernel keeps in layouts of its own, then the workspaces the handle does not hold.</summary>
        public List<string> Copied =>
        [
            .. Lowered.Operands.Where(t => !Lowered.Layouts[t.Name].IsIdentity && Prepared?.IsConstant(t.Name) != true).Select(t => t.Name),
            .. Lowered.Plan.Workspaces.Select(w => w.Name).Where(n => n != Prepared?.Form?.Tensor),
        ];
    }
}
