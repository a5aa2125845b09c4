using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// A host build of a loop-IR kernel given as IR alone (no operator behind it): its CPE file as the
/// emitter prints it, the shipped primitive library, a header with its parameter struct, and a driver
/// that reads every input tensor from <c>NAME.bin</c>, zeroes every output, runs the CPE function once
/// on one core group and writes every output to <c>NAME.out.bin</c>.
/// </summary>
internal static class IrKernelHostBuild
{
    /// <summary>Builds <paramref name="kernel"/> against the shim.</summary>
    public static GccShimBuild Build(LoopKernel kernel, GccShimOptions? options = null)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KernelFiles.Cpe] = CpeFilePrinter.Print(kernel, tiles: null, $"/* {kernel.Name}: printed from its loop IR */"),
            [KernelFiles.Header] = Header(kernel),
            [KernelFiles.Primitives] = Library(),
            ["driver.c"] = Driver(kernel),
        };
        CNames.Check(kernel);
        return GccShim.Build(kernel.Name, files, options);
    }

    /// <summary>Writes an input tensor's values, in the kernel's element type.</summary>
    public static void WriteInput(GccShimBuild build, LoopKernel kernel, string tensor, double[] values) =>
        File.WriteAllBytes(build.PathOf(tensor + ".bin"), kernel.ElementType == ElementType.Float32
            ? MemoryMarshal.AsBytes(values.Select(v => (float)v).ToArray().AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>Reads an output tensor's values, widened to double.</summary>
    public static double[] ReadOutput(GccShimBuild build, LoopKernel kernel, string tensor) => Read(build, tensor + ".out.bin", kernel.ElementType);

    /// <summary>The elements of <paramref name="file"/> of the build, written as <paramref name="type"/>, widened to double.</summary>
    public static double[] Read(GccShimBuild build, string file, ElementType type)
    {
        var bytes = build.ReadBytes(file);
        return type == ElementType.Float32
            ? [.. MemoryMarshal.Cast<byte, float>(bytes).ToArray().Select(v => (double)v)]
            : MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }

    /// <summary>The primitive library's C header, as the emitter embeds it.</summary>
    public static string Library()
    {
        using var stream = typeof(CpeFilePrinter).Assembly.GetManifestResourceStream($"Swatop.Hardware.Sw26010.Emit.Library.{KernelFiles.Primitives}")
            ?? throw new InvalidOperationException("The primitive library is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Header(LoopKernel kernel)
    {
        var type = CNames.ElementType(kernel.ElementType);
        var text = new StringBuilder("#ifndef IR_KERNEL_H\n#define IR_KERNEL_H\ntypedef struct {\n");
        foreach (var tensor in kernel.Tensors)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {type} *{tensor.Name};\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"    long cg;\n}} {CNames.ParamsType(kernel)};\n#endif\n").ToString();
    }

    private static string Driver(LoopKernel kernel)
    {
        var type = CNames.ElementType(kernel.ElementType);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include "swatop_athread.h"
            #include "{{KernelFiles.Header}}"

            extern void SLAVE_FUN({{CNames.CpeFunction(kernel)}})(void *);

            static {{type}} *tensor(const char *name, long count, int read)
            {
                char path[256];
                {{type}} *data = aligned_alloc(128, ((size_t)count * sizeof({{type}}) + 127) / 128 * 128 + 128);
                memset(data, 0, (size_t)count * sizeof({{type}}));
                snprintf(path, sizeof path, "%s.bin", name);
                FILE *in = read ? fopen(path, "rb") : NULL;
                if (read && (in == NULL || fread(data, sizeof({{type}}), (size_t)count, in) != (size_t)count)) {
                    fprintf(stderr, "cannot read %s\n", path);
                    exit(1);
                }

                if (in != NULL) fclose(in);
                return data;
            }

            static void store(const char *name, const {{type}} *data, long count)
            {
                char path[256];
                snprintf(path, sizeof path, "%s.out.bin", name);
                FILE *out = fopen(path, "wb");
                if (out == NULL || fwrite(data, sizeof({{type}}), (size_t)count, out) != (size_t)count || fclose(out) != 0) {
                    fprintf(stderr, "cannot write %s\n", path);
                    exit(1);
                }
            }

            int main(void)
            {
                static {{CNames.ParamsType(kernel)}} p;

            """);
        foreach (var tensor in kernel.Tensors)
        {
            text.Append(CultureInfo.InvariantCulture, $"    p.{tensor.Name} = tensor(\"{tensor.Name}\", {tensor.Elements}L, {(tensor.IsOutput ? 0 : 1)});\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"    p.cg = 0;\n    athread_init();\n    athread_spawn({CNames.CpeFunction(kernel)}, &p);\n    athread_join();\n    athread_halt();\n");
        foreach (var tensor in kernel.Tensors.Where(t => t.IsOutput))
        {
            text.Append(CultureInfo.InvariantCulture, $"    store(\"{tensor.Name}\", p.{tensor.Name}, {tensor.Elements}L);\n");
        }

        return text.Append("    return 0;\n}\n").ToString();
    }
}
