using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Swatop.Core.Ir;
using Swatop.Core.LayoutSteps;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// A host build of compiled layout steps alone: each step's CPE function as the emitter prints it (its
/// file <c>stepI.c</c>), the primitive library, a header with the steps' parameter structs, and a driver
/// that runs each step in turn on every core group of its share, as the emitted entry function does: a
/// pack reads the framework tensor from <c>sI_framework.bin</c> and writes each group's copy to
/// <c>sI_copyG.out.bin</c>; an unpack reads each group's copy from <c>sI_copyG.bin</c> and writes the
/// framework tensor to <c>sI_framework.out.bin</c>. Buffers are zeroed, as the emitted C allocates them.
/// </summary>
internal static class LayoutStepHostBuild
{
    /// <summary>Builds <paramref name="steps"/> against the shim; step I's kernel is renamed <c>sI_NAME</c>.</summary>
    public static GccShimBuild Build(string label, IReadOnlyList<Sw26010LayoutStep> steps, GccShimOptions? options = null)
    {
        var kernels = steps.Select((s, i) => s.Kernel with { Name = string.Create(CultureInfo.InvariantCulture, $"s{i}_{s.Kernel.Name}") }).ToList();
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KernelFiles.Header] = Header(kernels),
            [KernelFiles.Primitives] = IrKernelHostBuild.Library(),
            ["driver.c"] = Driver(steps, kernels),
        };
        for (var i = 0; i < kernels.Count; i++)
        {
            CNames.Check(kernels[i]);
            files[string.Create(CultureInfo.InvariantCulture, $"step{i}.c")] = CpeFilePrinter.Print(kernels[i], tiles: null, $"/* {steps[i].Step} */");
        }

        return GccShim.Build(label, files, options);
    }

    /// <summary>The file step <paramref name="step"/> reads its framework tensor from (a pack) or writes it to (an unpack).</summary>
    public static string Framework(int step, bool written) => string.Create(CultureInfo.InvariantCulture, $"s{step}_framework{(written ? ".out" : "")}.bin");

    /// <summary>The file of core group <paramref name="group"/>'s copy for step <paramref name="step"/>: read by an unpack, written by a pack.</summary>
    public static string Copy(int step, int group, bool written) => string.Create(CultureInfo.InvariantCulture, $"s{step}_copy{group}{(written ? ".out" : "")}.bin");

    /// <summary>Writes <paramref name="values"/> in <paramref name="type"/>.</summary>
    public static void Write(GccShimBuild build, string file, ElementType type, double[] values) =>
        File.WriteAllBytes(build.PathOf(file), type == ElementType.Float32
            ? MemoryMarshal.AsBytes(values.Select(v => (float)v).ToArray().AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>The elements of <paramref name="file"/> of the build, written as <paramref name="type"/>, widened to double.</summary>
    public static double[] Read(GccShimBuild build, string file, ElementType type) => IrKernelHostBuild.Read(build, file, type);

    private static string Header(List<LoopKernel> kernels)
    {
        var text = new StringBuilder("#ifndef LAYOUT_STEPS_H\n#define LAYOUT_STEPS_H\n");
        foreach (var kernel in kernels)
        {
            var type = CNames.ElementType(kernel.ElementType);
            text.Append("typedef struct {\n");
            foreach (var tensor in kernel.Tensors)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {type} *{tensor.Name};\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"    long cg;\n}} {CNames.ParamsType(kernel)};\n");
        }

        return text.Append("#endif\n").ToString();
    }

    private static string Driver(IReadOnlyList<Sw26010LayoutStep> steps, List<LoopKernel> kernels)
    {
        var text = new StringBuilder();
        text.Append("""
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include "swatop_athread.h"
            #include "kernel.h"


            """);
        foreach (var kernel in kernels)
        {
            text.Append(CultureInfo.InvariantCulture, $"extern void SLAVE_FUN({CNames.CpeFunction(kernel)})(void *);\n");
        }

        text.Append("""

            static void *tensor(const char *path, long count, size_t size)
            {
                const size_t bytes = ((size_t)count * size + 127) / 128 * 128 + 128;
                void *data = aligned_alloc(128, bytes);
                memset(data, 0, bytes);
                FILE *in = path != NULL ? fopen(path, "rb") : NULL;
                if (path != NULL && (in == NULL || fread(data, size, (size_t)count, in) != (size_t)count)) {
                    fprintf(stderr, "cannot read %s\n", path);
                    exit(1);
                }

                if (in != NULL) fclose(in);
                return data;
            }

            static void store(const char *path, const void *data, long count, size_t size)
            {
                FILE *out = fopen(path, "wb");
                if (out == NULL || fwrite(data, size, (size_t)count, out) != (size_t)count || fclose(out) != 0) {
                    fprintf(stderr, "cannot write %s\n", path);
                    exit(1);
                }
            }

            int main(void)
            {
                athread_init();

            """);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i].Step;
            var kernel = kernels[i];
            var type = CNames.ElementType(kernel.ElementType);
            var packs = step.Kind == LayoutStepKind.Pack;
            var copyElements = packs ? step.Destination.Elements : step.Source.Elements;
            var ic = CultureInfo.InvariantCulture;
            text.Append(ic, $"    {{ /* {step.Name} on {step.CoreGroups} core group(s) */\n");
            text.Append(ic, $"        {type} *framework = tensor({(packs ? $"\"{Framework(i, false)}\"" : "NULL")}, {step.Tensor.ElementLength}L, sizeof({type}));\n");
            text.Append(ic, $"        {type} *copies[{step.CoreGroups}];\n");
            for (var g = 0; g < step.CoreGroups; g++)
            {
                text.Append(ic, $"        copies[{g}] = tensor({(packs ? "NULL" : $"\"{Copy(i, g, false)}\"")}, {copyElements}L, sizeof({type}));\n");
            }

            text.Append(ic, $"        for (int g = 0; g < {step.CoreGroups}; g++) {{\n");
            text.Append(ic, $"            {CNames.ParamsType(kernel)} p;\n");
            text.Append(ic, $"            p.{LayoutStepLowering.SourceTensor} = {(packs ? "framework" : "copies[g]")};\n");
            text.Append(ic, $"            p.{LayoutStepLowering.DestinationTensor} = {(packs ? "copies[g]" : "framework")};\n");
            text.Append(ic, $"            p.cg = g;\n");
            text.Append(ic, $"            athread_spawn({CNames.CpeFunction(kernel)}, &p);\n");
            text.Append(ic, $"            athread_join();\n");
            text.Append(ic, $"        }}\n");
            if (packs)
            {
                for (var g = 0; g < step.CoreGroups; g++)
                {
                    text.Append(ic, $"        store(\"{Copy(i, g, true)}\", copies[{g}], {copyElements}L, sizeof({type}));\n");
                }
            }
            else
            {
                text.Append(ic, $"        store(\"{Framework(i, true)}\", framework, {step.Tensor.ElementLength}L, sizeof({type}));\n");
            }

            text.Append(ic, $"        free(framework);\n");
            text.Append(ic, $"        for (int g = 0; g < {step.CoreGroups}; g++) free(copies[g]);\n");
            text.Append("    }\n");
        }

        return text.Append("    athread_halt();\n    return 0;\n}\n").ToString();
    }
}
