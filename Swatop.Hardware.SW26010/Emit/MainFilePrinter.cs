using System.Globalization;
using Swatop.Core.Lowering;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// A driver with <c>main</c> for the kernel: <c>./kernel [runs]</c> times the entry function on
/// generated inputs and prints the seconds a run and the GFLOPS (what a job under <c>bsub</c> or an
/// external measurer reads); <c>./kernel run LEFT RIGHT OUT</c> runs it once on raw element files, which is
/// how the host check compares it with the reference; an operator with an epilogue that reads tensors (a bias, a
/// residual) takes their files after RIGHT, as <c>e0</c>, <c>e1</c>... in the order of its inputs; for a kernel with constant inputs
/// (<see cref="PreparedEntry"/>), <c>./kernel prepared LEFT RIGHT OUT</c> runs the prepared calls on the same files instead (the
/// constants prepared, the run, the handle released), which is how the host check compares them with the plain call. Built with MPI (one rank per core group, as the
/// emitted Makefile builds it for the Sunway), every rank runs its share, the ranks time together and
/// rank 0 prints, and in <c>run</c> the shares are gathered into rank 0's output, which it writes. C89
/// (gnu89) like every emitted file, with the operands 128-byte aligned for DMA and the time from
/// <c>gettimeofday</c>.
/// </summary>
internal static class MainFilePrinter
{
    /// <summary>The driver's text, after <paramref name="comment"/>.</summary>
    public static string Print(LoweredKernel lowered, string comment)
    {
        var ic = CultureInfo.InvariantCulture;
        var kernel = lowered.Kernel;
        var expression = lowered.Operator.Expression;
        var type = CNames.ElementType(kernel.ElementType);
        var entry = CNames.Entry(kernel);
        var left = expression.Left.Tensor;
        var right = expression.Right.Tensor;
        var output = expression.Output.Tensor;
        var extra = lowered.Operator.EpilogueInputs.Select(a => a.Tensor).ToList();
        var mpi = HostFilePrinter.MpiMacro;
        var prepared = PreparedEntry.For(lowered);
        var c = new CSourceBuilder();
        c.Lines(comment);
        c.Line("#include <stdio.h>");
        c.Line("#include <stdlib.h>");
        c.Line("#include <string.h>");
        c.Line("#include <sys/time.h>");
        c.Line($"#include \"{KernelFiles.Header}\"");
        c.Directive($"#ifdef {mpi}");
        c.Line("#include <mpi.h>");
        c.Directive("#endif");
        c.Line();
        c.Line(string.Create(ic, $"#define LEFT_ELEMENTS {left.ElementLength}L  /* {left} */"));
        c.Line(string.Create(ic, $"#define RIGHT_ELEMENTS {right.ElementLength}L /* {right} */"));
        for (var i = 0; i < extra.Count; i++)
        {
            c.Line(string.Create(ic, $"#define E{i}_ELEMENTS {extra[i].ElementLength}L /* {extra[i]}, the epilogue's */"));
        }

        c.Line(string.Create(ic, $"#define OUTPUT_ELEMENTS {output.ElementLength}L /* {output} */"));
        c.Line(string.Create(ic, $"#define FLOPS {lowered.Operator.Flops}.0"));
        c.Line();
        c.Line("/* Stops the program, and under MPI the job, whose other ranks would wait for this one. */");
        c.Open("static void fail(const char *message, const char *path)");
        c.Line("fprintf(stderr, \"%s%s\\n\", message, path);");
        c.Directive($"#ifdef {mpi}");
        c.Line("MPI_Abort(MPI_COMM_WORLD, 1);");
        c.Directive("#endif");
        c.Line("exit(1);");
        c.Close();
        c.Line();
        c.Line("/* A tensor the CPEs reach by DMA, 128-byte aligned: malloc aligns to 16 bytes at most, so the block has");
        c.Line("   128 bytes to spare and the address is rounded up; *base is what free takes. */");
        c.Open($"static {type} *allocate(long count, void **base)");
        c.Line($"char *const raw = malloc((size_t)count * sizeof({type}) + 128);");
        c.Line("*base = raw;");
        c.Line("if (raw == NULL) fail(\"out of memory\", \"\");");
        c.Line($"return ({type} *)(raw + (128 - (unsigned long)raw % 128) % 128);");
        c.Close();
        c.Line();
        c.Open($"static {type} *load(const char *path, long count, void **base)");
        c.Line($"{type} *const data = allocate(count, base);");
        c.Line("FILE *const in = fopen(path, \"rb\");");
        c.Line($"if (in == NULL || fread(data, sizeof({type}), (size_t)count, in) != (size_t)count) fail(\"cannot read the {type} values of \", path);");
        c.Line("fclose(in);");
        c.Line("return data;");
        c.Close();
        c.Line();
        c.Open("static double now(void)");
        c.Line("struct timeval t;");
        c.Line("gettimeofday(&t, NULL);");
        c.Line("return (double)t.tv_sec + 1e-6 * (double)t.tv_usec;");
        c.Close();
        c.Line();
        c.Line("/* Under MPI, waits for every rank (one per core group), so the ranks start and stop the clock together. */");
        c.Open("static void together(void)");
        c.Directive($"#ifdef {mpi}");
        c.Line("MPI_Barrier(MPI_COMM_WORLD);");
        c.Directive("#endif");
        c.Close();
        c.Line();
        c.Open("int main(int argc, char **argv)");
        c.Line($"void *left_base = NULL, *right_base = NULL, {string.Concat(extra.Select((_, i) => $"*e{i}_base = NULL, "))}*out_base = NULL;");
        c.Line($"{type} *left, *right, {string.Concat(extra.Select((_, i) => $"*e{i}, "))}*out;");
        c.Line("long runs, i, r;");
        c.Line("double start, seconds;");
        c.Line("int status, rank = 0;");
        c.Line();
        c.Directive($"#ifdef {mpi}");
        c.Line("MPI_Init(&argc, &argv);");
        c.Line("MPI_Comm_rank(MPI_COMM_WORLD, &rank);");
        c.Directive("#endif");
        RunOnFiles(c, entry, "run", null, [$"status = {Call(entry, extra.Count)};"], type, extra.Count);
        if (prepared is not null)
        {
            // The driver's names of the inputs, in the kernel's order: left, right, then the epilogue's.
            var driver = lowered.Inputs.Select((t, i) => (t.Name, Argument: i == 0 ? "left, LEFT_ELEMENTS" : i == 1 ? "right, RIGHT_ELEMENTS" : string.Create(ic, $"e{i - 2}, E{i - 2}_ELEMENTS")))
                .ToDictionary(p => p.Name, p => p.Argument, StringComparer.Ordinal);
            var constants = string.Join(", ", prepared.Constants.Select(t => driver[t.Name]));
            var activations = string.Join(", ", prepared.Activations.Select(t => driver[t.Name]));
            RunOnFiles(c, entry, "prepared", $"{CNames.PreparedHandle(kernel)} *prepared = NULL;", [
                $"status = {CNames.Prepare(kernel)}({constants}, &prepared);",
                $"if (status == 0) status = {CNames.PreparedRun(kernel)}(prepared, {activations}, out, OUTPUT_ELEMENTS);",
                $"{CNames.Release(kernel)}(prepared);",
            ], type, extra.Count);
        }

        c.Line("runs = argc > 1 ? atol(argv[1]) : 10;");
        c.Open("if (runs < 1)");
        var operands = $"LEFT RIGHT {string.Concat(extra.Select(t => $"{t.Name.ToUpperInvariant()} "))}OUT";
        var modes = prepared is null ? $"run {operands}" : $"run {operands} | prepared {operands}";
        c.Line($"if (rank == 0) fprintf(stderr, \"usage: %s [runs >= 1] | {modes}\\n\", argv[0]);");
        c.Directive($"#ifdef {mpi}");
        c.Line("MPI_Finalize();");
        c.Directive("#endif");
        c.Line("return 2;");
        c.Close();
        c.Line("left = allocate(LEFT_ELEMENTS, &left_base);");
        c.Line("right = allocate(RIGHT_ELEMENTS, &right_base);");
        c.Line("out = allocate(OUTPUT_ELEMENTS, &out_base);");
        c.Line($"for (i = 0; i < LEFT_ELEMENTS; i++) left[i] = ({type})((i % 17) - 8) / 16;");
        c.Line($"for (i = 0; i < RIGHT_ELEMENTS; i++) right[i] = ({type})((i % 13) - 6) / 16;");
        for (var i = 0; i < extra.Count; i++)
        {
            c.Line(string.Create(ic, $"e{i} = allocate(E{i}_ELEMENTS, &e{i}_base);"));
            c.Line(string.Create(ic, $"for (r = 0; r < E{i}_ELEMENTS; r++) e{i}[r] = ({type})((r % 11) - 5) / 16;"));
        }

        c.Line($"status = {Call(entry, extra.Count)}; /* warm-up */");
        c.Line("together();");
        c.Line("start = now();");
        c.Line($"for (r = 0; r < runs && status == 0; r++) status = {Call(entry, extra.Count)};");
        c.Line("together();");
        c.Line("seconds = (now() - start) / (double)runs;");
        c.Line($"{entry}_halt();");
        c.Open("if (status == 0 && rank == 0)");
        c.Line($"printf(\"{entry}: %ld runs, %.9f seconds a run, %.3f GFLOPS\\n\", runs, seconds, FLOPS / seconds / 1e9);");
        c.Line("printf(\"seconds %.9f\\n\", seconds);");
        c.Close();
        FreeAndReturn(c, mpi, extra.Count);
        return c.ToString();
    }

    /// <summary>
    /// The driver's mode <paramref name="mode"/> on raw element files: the operands loaded, <paramref name="calls"/> (which set
    /// <c>status</c>; <paramref name="declaration"/> opens the block when given), the shares gathered by <paramref name="entry"/>'s
    /// <c>_gather</c>, the output written.
    /// </summary>
    private static void RunOnFiles(CSourceBuilder c, string entry, string mode, string? declaration, IReadOnlyList<string> calls, string type, int extra)
    {
        var ic = CultureInfo.InvariantCulture;
        c.Open(string.Create(ic, $"if (argc == {5 + extra} && strcmp(argv[1], \"{mode}\") == 0)"));
        c.Line("FILE *file;");
        if (declaration is not null)
        {
            c.Line(declaration);
        }

        c.Line("left = load(argv[2], LEFT_ELEMENTS, &left_base);");
        c.Line("right = load(argv[3], RIGHT_ELEMENTS, &right_base);");
        for (var i = 0; i < extra; i++)
        {
            c.Line(string.Create(ic, $"e{i} = load(argv[{4 + i}], E{i}_ELEMENTS, &e{i}_base);"));
        }

        c.Line("out = allocate(OUTPUT_ELEMENTS, &out_base);");
        foreach (var call in calls)
        {
            c.Line(call);
        }

        c.Line($"if (status == 0) status = {entry}_gather(out, OUTPUT_ELEMENTS); /* under MPI: the ranks' shares into rank 0's output */");
        c.Line($"{entry}_halt();");
        c.Open("if (status == 0 && rank == 0)");
        c.Line(string.Create(ic, $"file = fopen(argv[{4 + extra}], \"wb\");"));
        c.Open($"if (file == NULL || fwrite(out, sizeof({type}), (size_t)OUTPUT_ELEMENTS, file) != (size_t)OUTPUT_ELEMENTS || fclose(file) != 0)");
        c.Line(string.Create(ic, $"fprintf(stderr, \"cannot write %s\\n\", argv[{4 + extra}]);"));
        c.Line("status = 1;");
        c.Close();
        c.Close();
        FreeAndReturn(c, HostFilePrinter.MpiMacro, extra);
        c.Line();
    }

    /// <summary>The entry function called on the driver's operands.</summary>
    private static string Call(string entry, int extra) =>
        $"{entry}(left, LEFT_ELEMENTS, right, RIGHT_ELEMENTS, {string.Concat(Enumerable.Range(0, extra).Select(i => $"e{i}, E{i}_ELEMENTS, "))}out, OUTPUT_ELEMENTS)";

    /// <summary>The end of both ways through <c>main</c>: the operands freed, MPI finished and the status returned.</summary>
    private static void FreeAndReturn(CSourceBuilder c, string mpi, int extra)
    {
        c.Line("free(left_base);");
        c.Line("free(right_base);");
        for (var i = 0; i < extra; i++)
        {
            c.Line($"free(e{i}_base);");
        }

        c.Line("free(out_base);");
        c.Directive($"#ifdef {mpi}");
        c.Line("MPI_Finalize();");
        c.Directive("#endif");
        c.Line("return status == 0 ? 0 : 1;");
        c.Close();
    }
}
