using System.Globalization;
using Swatop.Core.Graphs;
using Swatop.Hardware.Sw26010.Emit.Shim;

namespace Swatop.Hardware.Sw26010.Emit.Network;

/// <summary>
/// The MPE file of a network (<see cref="NetworkFiles.Runner"/>): the nodes that are not operators as C functions
/// (<see cref="HostNodePrinter"/>), <c>swatop_network_prepare</c> (each constant copied, then packed once into every
/// placement a kernel reads it in), <c>swatop_network_run</c> (the <see cref="NetworkProgram"/>'s statements in order, each
/// block freed after the last statement that reads it), the observer and <c>swatop_network_release</c>. One process drives
/// the core groups: a step or kernel split over several runs each group's share in turn on the core group this MPE drives,
/// as the single-kernel driver does without MPI. C89 (gnu89).
/// </summary>
internal static class NetworkRunnerPrinter
{
    /// <summary>The file's text, after <paramref name="comment"/>.</summary>
    public static string Print(NetworkProgram program, string comment)
    {
        var ic = CultureInfo.InvariantCulture;
        var type = program.Type;
        var graph = program.Graph;
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line("#include <math.h>");
        c.Line("#include <stdio.h>");
        c.Line("#include <stdlib.h>");
        c.Line("#include <string.h>");
        c.Line($"#include \"{AthreadShim.IncludeFileName}\"");
        c.Line($"#include \"{NetworkFiles.Header}\"");
        c.Line($"#include \"{NetworkFiles.KernelHeader}\"");
        c.Line();
        foreach (var (kernel, _, _) in program.Functions)
        {
            c.Line($"extern void SLAVE_FUN({CNames.CpeFunction(kernel)})(void *);");
        }

        c.Line();
        Tables(c, program);
        c.Line(string.Create(ic, $"#define BLOCKS {Math.Max(1, program.Blocks)} /* main-memory blocks the runner allocates */"));
        c.Line("static void *blocks[BLOCKS]; /* what free takes, by block */");
        c.Line("static int initialized, prepared;");
        c.Line("static swatop_network_observer observer;");
        c.Line();
        foreach (var held in program.Statics)
        {
            c.Line(string.Create(ic, $"static {type} *{held.Name}[{held.Count}]; /* {Where(held)} */"));
        }

        c.Line();
        c.Line("/* Main memory for DMA, 128-byte aligned and zeroed (a layout's padding reads as zeros): malloc aligns to 16 bytes at most,");
        c.Line("   so the block has 127 bytes to spare and the address is rounded up; blocks[block] is what free takes. */");
        ZeroedAllocator.Print(c, type, "long block", "blocks[block]");
        c.Line();
        c.Line("/* Frees blocks first .. first + count - 1; a freed block is forgotten, so freeing it again does nothing. */");
        c.Open("static void release(long first, long count)");
        c.Line("long b;");
        c.Open("for (b = first; b < first + count; b++)");
        c.Line("free(blocks[b]);");
        c.Line("blocks[b] = NULL;");
        c.Close();
        c.Close();
        c.Line();
        foreach (var node in graph.Nodes.Where(n => program.HostFunctions.ContainsKey(n.Name)))
        {
            HostNodePrinter.Print(c, node, program.HostFunctions[node.Name], type);
        }

        foreach (var (step, function) in program.HostSteps)
        {
            HostStepPrinter.Print(c, step, function, type);
        }

        Prepare(c, program);
        Run(c, program);
        c.Open("void swatop_network_observe(swatop_network_observer value)");
        c.Line("observer = value;");
        c.Close();
        c.Line();
        c.Open("void swatop_network_release(void)");
        c.Line("release(0, BLOCKS);");
        c.Line("prepared = 0;");
        c.Open("if (initialized)");
        c.Line("athread_halt();");
        c.Line("initialized = 0;");
        c.Close();
        c.Close();
        return c.ToString();
    }

    /// <summary>The names and lengths of the constants, inputs and outputs, and the node names.</summary>
    private static void Tables(CSourceBuilder c, NetworkProgram program)
    {
        var graph = program.Graph;
        Table(c, "constant", graph.Constants);
        Table(c, "input", graph.Inputs);
        Table(c, "output", graph.Outputs);
        c.Line($"const char *const swatop_network_node_names[{graph.Nodes.Length}] = {{ {string.Join(", ", graph.Nodes.Select(n => NetworkProgram.CString(n.Name)))} }};");
        c.Line($"const long swatop_network_node_elements[{graph.Nodes.Length}] = {{ {string.Join(", ", graph.Nodes.Select(n => L(n.Output.ElementLength)))} }};");
        c.Line();
    }

    private static void Table(CSourceBuilder c, string what, IReadOnlyList<GraphValue> values)
    {
        var size = Math.Max(1, values.Count).ToString(CultureInfo.InvariantCulture);
        c.Line($"const char *const swatop_network_{what}_names[{size}] = {{ {(values.Count == 0 ? "\"\"" : string.Join(", ", values.Select(v => NetworkProgram.CString(v.Name))))} }};");
        c.Line($"const long swatop_network_{what}_elements[{size}] = {{ {(values.Count == 0 ? "0L" : string.Join(", ", values.Select(v => L(v.ElementLength))))} }};");
    }

    private static void Prepare(CSourceBuilder c, NetworkProgram program)
    {
        c.Line("/* Copies every constant and packs it once into each placement a kernel reads it in; a run then reads the packs. */");
        c.Open($"int swatop_network_prepare(const {program.Type} *const *constants)");
        c.Line("long g;");
        c.Line("int status = 0;");
        c.Line("(void)constants;");
        c.Line("(void)g;");
        c.Line("if (status != 0) goto done;");
        c.Line("swatop_network_release();");
        c.Open("if (!initialized)");
        c.Line("athread_init(); /* claims the core group of this process */");
        c.Line("initialized = 1;");
        c.Close();
        c.Line();
        foreach (var statement in program.Prepare)
        {
            foreach (var line in statement.Lines)
            {
                c.Line(line);
            }
        }

        c.Line("prepared = 1;");
        c.Line("return 0;");
        c.Line("done:");
        c.Line("release(0, BLOCKS);");
        c.Line("fprintf(stderr, \"swatop_network_prepare: out of memory for the constants.\\n\");");
        c.Line("return status;");
        c.Close();
        c.Line();
    }

    private static void Run(CSourceBuilder c, NetworkProgram program)
    {
        var ic = CultureInfo.InvariantCulture;
        var type = program.Type;
        var graph = program.Graph;
        var statements = program.Run;
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < statements.Count; i++)
        {
            foreach (var held in statements[i].Reads.Where(h => h.Owned && h.First >= 0).Concat(statements[i].Allocates is { } a ? [a] : []))
            {
                last[held.Name] = i;
            }
        }

        var temporaries = program.Temporaries;
        c.Line("/* Runs the network: the inputs and outputs in the framework's layout, by position (swatop_network_input_names...). */");
        c.Open($"int swatop_network_run(const {type} *const *inputs, {type} *const *outputs)");
        c.Line("long g;");
        c.Line("int status = 0;");
        for (var i = 0; i < graph.Inputs.Length; i++)
        {
            c.Line(string.Create(ic, $"{type} *in{i}[1];"));
        }

        foreach (var held in temporaries)
        {
            c.Line(string.Create(ic, $"{type} *{held.Name}[{held.Count}]; /* {Where(held)} */"));
        }

        c.Line();
        c.Line("(void)g;");
        c.Open("if (!prepared)");
        c.Line("fprintf(stderr, \"swatop_network_run: call swatop_network_prepare first.\\n\");");
        c.Line("return -1;");
        c.Close();
        for (var i = 0; i < graph.Inputs.Length; i++)
        {
            c.Line(string.Create(ic, $"in{i}[0] = ({type} *)inputs[{i}];"));
        }

        c.Line();
        for (var i = 0; i < statements.Count; i++)
        {
            foreach (var line in statements[i].Lines)
            {
                c.Line(line);
            }

            foreach (var held in temporaries.Where(h => last.TryGetValue(h.Name, out var at) && at == i))
            {
                c.Line(string.Create(ic, $"release({held.First}, {held.Count}); /* {held.Name}: read for the last time */"));
            }

            c.Line();
        }

        c.Line("done:");
        foreach (var held in temporaries)
        {
            c.Line(string.Create(ic, $"release({held.First}, {held.Count});"));
        }

        c.Line("if (status != 0) fprintf(stderr, \"swatop_network_run: out of memory for the network's values.\\n\");");
        c.Line("return status;");
        c.Close();
        c.Line();
    }

    private static string Where(NetworkProgram.Held held) => held.Placement is { } placement
        ? HostNodePrinter.Comment($"{placement}")
        : "the framework's layout";

    private static string L(long value) => string.Create(CultureInfo.InvariantCulture, $"{value}L");
}
