namespace Swatop.Hardware.Sw26010.Emit.Network;

/// <summary>
/// The network's driver with <c>main</c>: <c>./network [runs]</c> prepares generated constants once and times the runs on
/// generated inputs (the seconds a run and the GFLOPS); <c>./network run FOLDER [nodes]</c> reads
/// <c>FOLDER/constant_K.bin</c> and <c>FOLDER/input_I.bin</c> (raw elements, by position), runs once and writes
/// <c>FOLDER/output_O.bin</c>, and with <c>nodes</c> every node's value as <c>FOLDER/node_N.bin</c>: how the host check
/// runs it. C89 (gnu89); the time from <c>gettimeofday</c>.
/// </summary>
internal static class NetworkMainPrinter
{
    /// <summary>The driver's text, after <paramref name="comment"/>.</summary>
    public static string Print(NetworkProgram program, string comment)
    {
        var type = program.Type;
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line("#include <stdio.h>");
        c.Line("#include <stdlib.h>");
        c.Line("#include <string.h>");
        c.Line("#include <sys/time.h>");
        c.Line($"#include \"{NetworkFiles.Header}\"");
        c.Line();
        c.Line("#define TENSORS (SWATOP_NETWORK_CONSTANTS + SWATOP_NETWORK_INPUTS + SWATOP_NETWORK_OUTPUTS + 1)");
        c.Line();
        c.Line("static const char *folder;");
        c.Line("static int observed_failures;");
        c.Line("static void *bases[TENSORS];");
        c.Line();
        c.Open("static void fail(const char *message, const char *path)");
        c.Line("fprintf(stderr, \"%s%s\\n\", message, path);");
        c.Line("exit(1);");
        c.Close();
        c.Line();
        c.Line("/* A tensor the CPEs reach by DMA, 128-byte aligned: malloc aligns to 16 bytes at most, so the block has");
        c.Line("   128 bytes to spare and the address is rounded up; bases[slot] is what free takes. */");
        c.Open($"static {type} *allocate(long count, int slot)");
        c.Line($"char *const raw = malloc((size_t)count * sizeof({type}) + 128);");
        c.Line("bases[slot] = raw;");
        c.Line("if (raw == NULL) fail(\"out of memory\", \"\");");
        c.Line($"return ({type} *)(raw + (128 - (unsigned long)raw % 128) % 128);");
        c.Close();
        c.Line();
        c.Open("static void path_of(char *path, const char *kind, int index)");
        c.Line("sprintf(path, \"%.3900s/%s_%d.bin\", folder, kind, index);");
        c.Close();
        c.Line();
        c.Open($"static {type} *load(const char *kind, int index, long count, int slot)");
        c.Line("char path[4096];");
        c.Line($"{type} *const data = allocate(count, slot);");
        c.Line("FILE *in;");
        c.Line("path_of(path, kind, index);");
        c.Line("in = fopen(path, \"rb\");");
        c.Line($"if (in == NULL || fread(data, sizeof({type}), (size_t)count, in) != (size_t)count) fail(\"cannot read the {type} values of \", path);");
        c.Line("fclose(in);");
        c.Line("return data;");
        c.Close();
        c.Line();
        c.Open($"static int save(const char *kind, int index, const {type} *values, long count)");
        c.Line("char path[4096];");
        c.Line("FILE *out;");
        c.Line("path_of(path, kind, index);");
        c.Line("out = fopen(path, \"wb\");");
        c.Open($"if (out == NULL || fwrite(values, sizeof({type}), (size_t)count, out) != (size_t)count || fclose(out) != 0)");
        c.Line("fprintf(stderr, \"cannot write %s\\n\", path);");
        c.Line("return 1;");
        c.Close();
        c.Line("return 0;");
        c.Close();
        c.Line();
        c.Open($"static void observe(int node, const char *name, const {type} *values, long elements)");
        c.Line("(void)name;");
        c.Line("observed_failures += save(\"node\", node, values, elements);");
        c.Close();
        c.Line();
        c.Open("static double now(void)");
        c.Line("struct timeval t;");
        c.Line("gettimeofday(&t, NULL);");
        c.Line("return (double)t.tv_sec + 1e-6 * (double)t.tv_usec;");
        c.Close();
        c.Line();
        c.Open("int main(int argc, char **argv)");
        c.Line($"const {type} *constants[SWATOP_NETWORK_CONSTANTS + 1];");
        c.Line($"const {type} *inputs[SWATOP_NETWORK_INPUTS + 1];");
        c.Line($"{type} *outputs[SWATOP_NETWORK_OUTPUTS + 1];");
        c.Line($"{type} *values;");
        c.Line("long runs, r, i;");
        c.Line("int t, status, once = argc >= 3 && strcmp(argv[1], \"run\") == 0;");
        c.Line("double start, seconds;");
        c.Line();
        c.Open("if (once && (argc > 4 || (argc == 4 && strcmp(argv[3], \"nodes\") != 0)))");
        c.Line("fprintf(stderr, \"usage: %s [runs >= 1] | run FOLDER [nodes]\\n\", argv[0]);");
        c.Line("return 2;");
        c.Close();
        c.Line("runs = once ? 1 : argc > 1 ? atol(argv[1]) : 10;");
        c.Open("if (runs < 1)");
        c.Line("fprintf(stderr, \"usage: %s [runs >= 1] | run FOLDER [nodes]\\n\", argv[0]);");
        c.Line("return 2;");
        c.Close();
        c.Line("folder = once ? argv[2] : \".\";");
        c.Open("for (t = 0; t < SWATOP_NETWORK_CONSTANTS; t++)");
        c.Open("if (once)");
        c.Line("constants[t] = load(\"constant\", t, swatop_network_constant_elements[t], t);");
        c.Continue("else");
        c.Line("values = allocate(swatop_network_constant_elements[t], t);");
        c.Line($"for (i = 0; i < swatop_network_constant_elements[t]; i++) values[i] = ({type})((i % 13) - 6) / 64;");
        c.Line("constants[t] = values;");
        c.Close();
        c.Close();
        c.Open("for (t = 0; t < SWATOP_NETWORK_INPUTS; t++)");
        c.Open("if (once)");
        c.Line("inputs[t] = load(\"input\", t, swatop_network_input_elements[t], SWATOP_NETWORK_CONSTANTS + t);");
        c.Continue("else");
        c.Line("values = allocate(swatop_network_input_elements[t], SWATOP_NETWORK_CONSTANTS + t);");
        c.Line($"for (i = 0; i < swatop_network_input_elements[t]; i++) values[i] = ({type})((i % 17) - 8) / 16;");
        c.Line("inputs[t] = values;");
        c.Close();
        c.Close();
        c.Open("for (t = 0; t < SWATOP_NETWORK_OUTPUTS; t++)");
        c.Line("outputs[t] = allocate(swatop_network_output_elements[t], SWATOP_NETWORK_CONSTANTS + SWATOP_NETWORK_INPUTS + t);");
        c.Close();
        c.Line();
        c.Line("status = swatop_network_prepare(constants);");
        c.Open("if (status == 0 && once)");
        c.Line("if (argc == 4) swatop_network_observe(observe);");
        c.Line("status = swatop_network_run(inputs, outputs);");
        c.Line("for (t = 0; status == 0 && t < SWATOP_NETWORK_OUTPUTS; t++) status = save(\"output\", t, outputs[t], swatop_network_output_elements[t]);");
        c.Line("if (status == 0 && observed_failures > 0) status = 1;");
        c.Continue("else if (status == 0)");
        c.Line("status = swatop_network_run(inputs, outputs); /* warm-up */");
        c.Line("start = now();");
        c.Line("for (r = 0; r < runs && status == 0; r++) status = swatop_network_run(inputs, outputs);");
        c.Line("seconds = (now() - start) / (double)runs;");
        c.Open("if (status == 0)");
        c.Line("printf(\"swatop_network_run: %ld runs, %.9f seconds a run, %.3f GFLOPS\\n\", runs, seconds, SWATOP_NETWORK_FLOPS / seconds / 1e9);");
        c.Line("printf(\"seconds %.9f\\n\", seconds);");
        c.Close();
        c.Close();
        c.Line("swatop_network_release();");
        c.Line("for (t = 0; t < TENSORS; t++) free(bases[t]);");
        c.Line("return status == 0 ? 0 : 1;");
        c.Close();
        return c.ToString();
    }
}
