using System.Globalization;

namespace Swatop.Hardware.Sw26010.Emit.Network;

/// <summary>
/// The network's two headers: <see cref="NetworkFiles.Header"/>, what a framework includes (the runner's functions, the
/// observer's type and the tables of the constants, inputs, outputs and nodes), and <see cref="NetworkFiles.KernelHeader"/>,
/// the parameter struct of every CPE function, which the MPE and CPE files share.
/// </summary>
internal static class NetworkHeaderPrinter
{
    /// <summary>The framework's header, after <paramref name="comment"/>.</summary>
    public static string Header(NetworkProgram program, string comment)
    {
        var ic = CultureInfo.InvariantCulture;
        var type = program.Type;
        var graph = program.Graph;
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line("#ifndef SWATOP_NETWORK_H");
        c.Line("#define SWATOP_NETWORK_H");
        c.Line();
        c.Line($"typedef {type} swatop_network_element;");
        c.Line(string.Create(ic, $"#define SWATOP_NETWORK_CONSTANTS {graph.Constants.Length}"));
        c.Line(string.Create(ic, $"#define SWATOP_NETWORK_INPUTS {graph.Inputs.Length}"));
        c.Line(string.Create(ic, $"#define SWATOP_NETWORK_OUTPUTS {graph.Outputs.Length}"));
        c.Line(string.Create(ic, $"#define SWATOP_NETWORK_NODES {graph.Nodes.Length}"));
        c.Line(string.Create(ic, $"#define SWATOP_NETWORK_FLOPS {graph.Flops}.0"));
        c.Line();
        c.Line("/* The names and element counts of the constants, inputs and outputs (row-major, the framework's layout), by position,");
        c.Line("   and of every node's value, in execution order. */");
        foreach (var what in new[] { "constant", "input", "output", "node" })
        {
            c.Line($"extern const char *const swatop_network_{what}_names[];");
            c.Line($"extern const long swatop_network_{what}_elements[];");
        }

        c.Line();
        c.Line("/* Told each node's value (in the framework's layout) as the run leaves it, when set: a check compares them. */");
        c.Line($"typedef void (*swatop_network_observer)(int node, const char *name, const {type} *values, long elements);");
        c.Line();
        c.Line("/* Copies the constants (by position) and packs each once into every layout a kernel reads it in; the first call");
        c.Line("   initializes athread. Returns 0, or non-zero after a message on stderr. Call it again to change the weights. */");
        c.Line($"int swatop_network_prepare(const {type} *const *constants);");
        c.Line("/* Runs every step of the plan in order on the inputs and writes the outputs (by position, row-major). */");
        c.Line($"int swatop_network_run(const {type} *const *inputs, {type} *const *outputs);");
        c.Line("/* Sets (or, with NULL, clears) the observer. */");
        c.Line("void swatop_network_observe(swatop_network_observer observer);");
        c.Line("/* Frees the prepared constants and halts athread. */");
        c.Line("void swatop_network_release(void);");
        c.Line();
        c.Line("#endif /* SWATOP_NETWORK_H */");
        return c.ToString();
    }

    /// <summary>The parameter structs' header, after <paramref name="comment"/>.</summary>
    public static string Kernels(NetworkProgram program, string comment)
    {
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line("#ifndef SWATOP_NETWORK_KERNELS_H");
        c.Line("#define SWATOP_NETWORK_KERNELS_H");
        c.Line();
        foreach (var (kernel, _, _) in program.Functions)
        {
            c.Line($"/* What every CPE of {CNames.CpeFunction(kernel)} gets. */");
            KernelHeaderPrinter.Params(c, kernel, program.Type);
        }

        c.Line("#endif /* SWATOP_NETWORK_KERNELS_H */");
        return c.ToString();
    }
}
