using System.Globalization;
using Swatop.Core;
using Swatop.Core.Layouts;
using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The MPE file of a kernel. Its entry function takes the operator's tensors in the framework's
/// layout with their lengths; for each core group the schedule uses (a host thread each when there
/// are several) it packs the inputs into the kernel's layouts (permuted and zero-padded, as
/// <see cref="TensorLayout"/> says; an identity layout is used in place), fills the parameter struct,
/// and runs <c>athread_spawn</c> / <c>athread_join</c>; it then gathers the output from the core group
/// that computed each element, as the emulator's host steps do.
/// </summary>
/// <remarks>
/// The address computations are printed from the rules the emulator evaluates: <see cref="LayoutRules"/>
/// over the tables of <see cref="LayoutTable.All"/>, and the output's <see cref="Distribution.Owner"/>.
/// The tensors are the kernel's <see cref="LoweredKernel.Operands"/>: its inputs, then its output.
/// </remarks>
internal static class HostFilePrinter
{
    /// <summary>The MPE file's text, after <paramref name="comment"/>.</summary>
    public static string Print(LoweredKernel lowered, string comment)
    {
        var ic = CultureInfo.InvariantCulture;
        var kernel = lowered.Kernel;
        var type = CNames.ElementType(kernel.ElementType);
        var groups = lowered.Schedule.CoreGroups;
        var inputs = lowered.Inputs;
        var output = lowered.Output;
        var operands = lowered.Operands;
        var placements = lowered.Placements;
        var rank = operands.Max(t => t.Rank);
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
        c.Line();
        c.Line(string.Create(ic, $"#define CORE_GROUPS {groups}"));
        c.Line(string.Create(ic, $"#define MAX_RANK {rank}"));
        c.Line();
        c.Line("/* How the kernel stores a framework tensor: internal position of framework index i in dimension d is");
        c.Line("   p = i + origin[d], inside [0, length[d]), p * stride[d] elements in; a blocked dimension (block[d] > 0)");
        c.Line("   is cut in blocks of block[d] positions: (p / block[d]) * outer[d] + (p % block[d]) * stride[d] elements in.");
        c.Line("   Framework tensors are row-major. */");
        c.Open("typedef struct");
        c.Line("const char *name;");
        c.Line("int rank;");
        c.Line($"long {string.Join(", ", LayoutTable.All.Select(t => $"{t.Name}[MAX_RANK]"))};");
        c.Line("long elements; /* of the internal tensor */");
        c.Line("int identity;  /* the internal tensor is the framework tensor */");
        c.Close(" layout_t;");
        c.Line();
        foreach (var tensor in operands)
        {
            var layout = placements[tensor.Name].Layout;
            var tables = LayoutTable.All.Select(t => $"{{ {string.Join(", ", t.ValuesOf(layout).Select(v => v.ToString(ic)))} }}").ToList();
            c.Line(string.Create(ic, $"static const layout_t layout_{tensor.Name} = {{ \"{tensor.Name}\", {tensor.Rank}, {string.Join(", ", tables.Take(2))},"));
            c.Line($"    {string.Join(", ", tables.Skip(2))},");
            c.Line(string.Create(ic, $"    {layout.Elements}L, {(layout.IsIdentity ? 1 : 0)} }};"));
        }

        c.Line();
        c.Line("/* How many elements into the internal tensor internal position p of dimension d lies. */");
        c.Open("static long place(const layout_t *l, int d, long p)");
        c.Line($"return {Print(LayoutRules.Place)};");
        c.Close();
        c.Line();
        c.Line("/* Scatters a framework tensor into the kernel's layout (zeroed beforehand): the host-side layout step. */");
        c.Open($"static void pack(const layout_t *l, const {type} *source, {type} *destination)");
        c.Line("long index[MAX_RANK] = { 0 }, count = 1;");
        c.Line("for (int d = 0; d < l->rank; d++) count *= l->shape[d];");
        c.Open("for (long i = 0; i < count; i++)");
        c.Line("long offset = 0;");
        c.Line("int inside = 1;");
        c.Open("for (int d = 0; d < l->rank && inside; d++)");
        c.Line($"const long position = {Print(LayoutRules.PositionOf)};");
        c.Line($"inside = {Print(LayoutRules.Inside)};");
        c.Line("offset += place(l, d, position);");
        c.Close();
        c.Line("if (inside) destination[offset] = source[i];");
        c.Line("for (int d = l->rank - 1; d >= 0 && ++index[d] == l->shape[d]; d--) index[d] = 0;");
        c.Close();
        c.Close();
        c.Line();
        c.Line("/* The core group that computes an output element (framework indices): its share of the split loop. */");
        c.Open("static int owner(const long *index)");
        c.Lines(Owner(lowered, placements[output.Name].Distribution));
        c.Close();
        c.Line();
        c.Line("/* Gathers the output into the framework layout, each element from the core group that computed it. */");
        c.Open($"static void unpack(const layout_t *l, {type} *const *sources, {type} *destination)");
        c.Line("long index[MAX_RANK] = { 0 }, count = 1;");
        c.Line("for (int d = 0; d < l->rank; d++) count *= l->shape[d];");
        c.Open("for (long i = 0; i < count; i++)");
        c.Line("long offset = 0;");
        c.Line($"for (int d = 0; d < l->rank; d++) offset += place(l, d, {Print(LayoutRules.PositionOf)});");
        c.Line("destination[i] = sources[owner(index)][offset];");
        c.Line("for (int d = l->rank - 1; d >= 0 && ++index[d] == l->shape[d]; d--) index[d] = 0;");
        c.Close();
        c.Close();
        c.Line();
        c.Line("/* Main memory for DMA, 128-byte aligned and zeroed. */");
        c.Open($"static {type} *allocate(long elements)");
        c.Line($"const size_t bytes = ((size_t)elements * sizeof({type}) + 127) / 128 * 128;");
        c.Line($"{type} *data = aligned_alloc(128, bytes > 0 ? bytes : 128);");
        c.Line("if (data != NULL) memset(data, 0, bytes);");
        c.Line("return data;");
        c.Close();
        c.Line();
        c.Line("/* What the host thread of one core group works on. */");
        c.Open("typedef struct");
        c.Line($"const {type} {string.Join(", ", inputs.Select(t => $"*{t.Name}"))};");
        c.Line($"{CNames.ParamsType(kernel)} params;");
        c.Line(string.Create(ic, $"int owns[{operands.Length}]; /* which of the params' tensors this job allocated */"));
        c.Line("int status;");
        c.Close(" job_t;");
        c.Line();
        c.Line("/* An input in the kernel's layout: the framework tensor itself when the layout is the identity, else packed. */");
        c.Open($"static {type} *prepare(const layout_t *l, const {type} *framework, int *owned)");
        c.Open("if (l->identity)");
        c.Line("*owned = 0;");
        c.Line($"return ({type} *)framework;");
        c.Close();
        c.Line($"{type} *internal = allocate(l->elements);");
        c.Line("*owned = 1;");
        c.Line("if (internal != NULL) pack(l, framework, internal);");
        c.Line("return internal;");
        c.Close();
        c.Line();
        c.Line("/* One core group's MPE: pack, spawn the CPE function on its 64 CPEs, join. */");
        c.Open("static void *run_core_group(void *argument)");
        c.Line("job_t *job = argument;");
        for (var i = 0; i < inputs.Length; i++)
        {
            var name = inputs[i].Name;
            c.Line(string.Create(ic, $"job->params.{name} = prepare(&layout_{name}, job->{name}, &job->owns[{i}]);"));
        }

        c.Open($"if (job->params.{output.Name} == NULL)");
        c.Line($"job->params.{output.Name} = allocate(layout_{output.Name}.elements);");
        c.Line(string.Create(ic, $"job->owns[{inputs.Length}] = 1;"));
        c.Close();
        c.Open($"if ({string.Join(" || ", operands.Select(t => $"job->params.{t.Name} == NULL"))})");
        c.Line("job->status = -2;");
        c.Line("return NULL;");
        c.Close();
        c.Line("SWATOP_CG_ENTER(job->params.cg);");
        c.Line($"athread_spawn({CNames.CpeFunction(kernel)}, &job->params);");
        c.Line("athread_join();");
        c.Line("SWATOP_CG_LEAVE(job->params.cg);");
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
        c.Line($"const long given[{count}] = {{ {string.Join(", ", operands.Select(t => $"{t.Name}_elements"))} }};");
        c.Line($"const char *const names[{count}] = {{ {string.Join(", ", operands.Select(t => $"\"{t.Name}\""))} }};");
        c.Open($"for (int t = 0; t < {count}; t++)");
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
        c.Line("job_t jobs[CORE_GROUPS];");
        c.Line("memset(jobs, 0, sizeof jobs);");
        c.Open("for (int g = 0; g < CORE_GROUPS; g++)");
        foreach (var input in inputs)
        {
            c.Line($"jobs[g].{input.Name} = {input.Name};");
        }

        c.Line("jobs[g].params.cg = g;");
        c.Line("jobs[g].status = -3;");
        c.Close();
        c.Line();
        if (groups == 1)
        {
            c.Line($"/* One core group: it computes into the output in place when its layout is the identity. */");
            c.Open($"if (layout_{output.Name}.identity)");
            c.Line($"memset({output.Name}, 0, (size_t){output.Name}_elements * sizeof({type}));");
            c.Line($"jobs[0].params.{output.Name} = {output.Name};");
            c.Close();
            c.Line("run_core_group(&jobs[0]);");
        }
        else
        {
            c.Line("/* A host thread per core group. */");
            c.Line("pthread_t threads[CORE_GROUPS];");
            c.Line("int started[CORE_GROUPS];");
            c.Open("for (int g = 0; g < CORE_GROUPS; g++)");
            c.Line("started[g] = pthread_create(&threads[g], NULL, run_core_group, &jobs[g]) == 0;");
            c.Close();
            c.Open("for (int g = 0; g < CORE_GROUPS; g++)");
            c.Line("if (started[g]) pthread_join(threads[g], NULL);");
            c.Close();
        }

        c.Line();
        c.Line("int status = 0;");
        c.Line($"{type} *outputs[CORE_GROUPS];");
        c.Open("for (int g = 0; g < CORE_GROUPS; g++)");
        c.Line("if (jobs[g].status != 0) status = jobs[g].status;");
        c.Line($"outputs[g] = jobs[g].params.{output.Name};");
        c.Close();
        c.Open($"if (status == 0 && (CORE_GROUPS > 1 || !layout_{output.Name}.identity))");
        c.Line($"unpack(&layout_{output.Name}, outputs, {output.Name});");
        c.Close();
        c.Line("if (status != 0) fprintf(stderr, \"" + CNames.Entry(kernel) + ": %s.\\n\", status == -2 ? \"out of memory for the kernel's tensors\" : \"a core group's host thread did not start\");");
        c.Line();
        c.Open("for (int g = 0; g < CORE_GROUPS; g++)");
        for (var i = 0; i < operands.Length; i++)
        {
            c.Line(string.Create(ic, $"if (jobs[g].owns[{i}]) free(jobs[g].params.{operands[i].Name});"));
        }

        c.Close();
        c.Line("return status;");
        c.Close();
        return c.ToString();
    }

    /// <summary>
    /// The body of <c>owner</c>: <paramref name="distribution"/>'s <see cref="Distribution.Owner"/>, which
    /// the emulator's gather evaluates.
    /// </summary>
    private static string Owner(LoweredKernel lowered, Distribution distribution)
    {
        var owner = distribution.Owner;
        var value = owner is IndexConstant ? Print(owner) : $"(int)({Print(owner)})";
        var before = !owner.Reads(LayoutRules.IndexArray) ? "(void)index;\n"
            : distribution is SplitDistribution split && lowered.Plan.SplitLoop is { } loop
                ? string.Create(CultureInfo.InvariantCulture, $"/* axis '{loop.Axis}' is split: {split.Chunk} iterations of {split.Step} a core group */\n")
                : "";
        return $"{before}return {value};";
    }

    /// <summary>A rule in C: the layout's tables are those of <c>const layout_t *l</c>, the framework index is the local array.</summary>
    private static string Print(IndexExpression rule) => rule.Print(array => LayoutTable.Find(array) is null ? array : $"l->{array}");
}
