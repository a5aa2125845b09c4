using System.Globalization;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Primitives;

namespace Swatop.Tests.Emit;

/// <summary>
/// The single kernel's emitted prepared calls: <c>_prepare</c> takes the constant inputs once (packed into each core group's copy by
/// the same layout step a plain call runs, or transformed by the composite Winograd's transform kernel), <c>_run</c> takes the handle
/// and the rest, <c>_release</c> frees the handle. Built with gcc against the shim, their output is the plain entry's bit for bit and
/// passes the reference; bad arguments give the plain entry's error status; a kernel without constants has the plain entry alone.
/// </summary>
public sealed class EmittedPreparedKernelTests
{
    /// <summary>A double 3 x 3 convolution, padded: 1,152 input, 4,608 weight and 2,304 output elements.</summary>
    private static readonly OperatorSpec Convolution = Operator.Conv2d(2, 16, 32, 6, 6, 3, padding: 1);

    /// <summary>A float 3 x 3 convolution with a bias, whose constants are the weights (packed) and the bias (read where it lies).</summary>
    private static readonly OperatorSpec BiasedConvolution = Operator.Conv2d(1, 16, 32, 6, 6, 3, padding: 1, elementType: ElementType.Float32).WithEpilogue(EpilogueStep.Bias());

    /// <summary>
    /// The implicit GEMM kernel of <paramref name="spec"/> whose weights are packed into a layout of its own, the first of its space's
    /// one-group points, on <paramref name="groups"/> core groups sharing the batch.
    /// </summary>
    private static Sw26010Kernel PackedWeights(OperatorSpec spec, int groups)
    {
        var kernel = ImplicitGemmSpace.For(spec, Sw26010Target.Default.Limits).Enumerate().Where(s => s.CoreGroups == 1)
            .Select(s => EmittedC.Kernel(spec, groups == 1 ? s : s with { CoreGroups = groups, SplitAxis = "n" }))
            .First(k => !k.Lowered.Layouts[spec.Expression.Right.Tensor.Name].IsIdentity);
        Assert.That(kernel.Lowered.Schedule.CoreGroups, Is.EqualTo(groups));
        return kernel;
    }

    /// <summary>The composite Winograd F(2x2) of a small double layer on two core groups.</summary>
    private static Sw26010Kernel Composite() => EmittedC.Kernel(Operator.Conv2d(2, 16, 64, 7, 7, 3, padding: 1),
        new WinogradGemmSchedule { OutputTile = 2, TileColumns = 3, Segments = 4, OutBlock = 32, InBlock = 8, GemmIn = 8, CoreGroups = 2, SplitAxis = "n" });

    [Test]
    public void A_packed_weights_convolution_s_prepared_calls_give_the_plain_output_bit_for_bit_with_the_same_work()
    {
        var kernel = PackedWeights(Convolution, groups: 2);
        var check = EmittedKernelCheck.Run(kernel, seed: 7, preparedCalls: true);
        var host = kernel.Sources[KernelFiles.Host];
        // The weights' pack step: spawned on the CPEs, or, as small as it is here, copied on the MPE; either way named after it.
        var pack = $"pack_{Convolution.Expression.Right.Tensor.Name}";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.Prepared, Is.Not.Null, "a convolution has prepared calls");
            Assert.That(check.Prepared!.Output, Is.EqualTo(check.Output).Using<double>(BitsEqual), "the prepared output is the plain call's, bit for bit");
            Assert.That(check.Prepared.Comparison.Passed, check.Prepared.Comparison.ToString());
            Assert.That(Function(host, "static int prepare_core_group("), Does.Contain($"{pack}.destination = prepared->{Convolution.Expression.Right.Tensor.Name}[cg];"), "the prepare function packs the weights into the group's copy");
            Assert.That(Function(host, "static void run_core_group_prepared("), Does.Not.Contain(pack), "a prepared call does not pack the weights");
            Assert.That(Function(host, "static void run_core_group("), Does.Contain(pack), "the plain call still packs them");
            // One prepare and one run do what one plain call does: the weights' pack only moved into the prepare.
            Assert.That(ShimCounts.Differences(check.Prepared.Counts, EmittedC.EmulatorCountsPerCpe(kernel)), Is.Empty);
        }
    }

    [Test]
    public void A_float_convolution_with_a_bias_prepares_both_constants_and_gives_the_plain_output_bit_for_bit()
    {
        var kernel = PackedWeights(BiasedConvolution, groups: 1);
        Assert.That(kernel.Lowered.Layouts["bias"].IsIdentity, "the bias is read where it lies, so the handle holds one copy of it");
        var check = EmittedKernelCheck.Run(kernel, seed: 3, preparedCalls: true);
        var header = kernel.Sources[KernelFiles.Header];
        var entry = $"swatop_{kernel.Lowered.Kernel.Name}";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(header, Does.Contain($"int {entry}_prepare(const float *weights, long weights_elements, const float *bias, long bias_elements, {entry}_prepared **prepared);"));
            Assert.That(header, Does.Contain($"int {entry}_run(const {entry}_prepared *prepared, const float *input, long input_elements, float *output, long output_elements);"));
            Assert.That(check.Prepared!.Output, Is.EqualTo(check.Output).Using<double>(BitsEqual));
            Assert.That(check.Prepared.Comparison.Passed, check.Prepared.Comparison.ToString());
        }
    }

    [Test]
    public void By_default_the_check_runs_the_prepared_calls_only_where_they_spawn_programs_the_plain_call_does_not()
    {
        // The packed weights' prepared calls run the plain call's programs, the pack moved into the prepare function: one run
        // checks them. The composite's spawn a transform and a run kernel of their own: the check below runs them by default.
        var check = EmittedKernelCheck.Run(PackedWeights(Convolution, groups: 1), seed: 4);
        Assert.That(check.Prepared, Is.Null);
        Assert.That(check.Comparison.Passed, check.Comparison.ToString());
    }

    [Test]
    public void A_composite_winograd_layer_s_prepared_calls_transform_the_filters_once_and_give_the_plain_output_bit_for_bit()
    {
        var kernel = Composite();
        var form = kernel.Lowered.Prepared!;
        var check = EmittedKernelCheck.Run(kernel, seed: 5);
        var host = kernel.Sources[KernelFiles.Host];
        var spec = kernel.Operator;
        var (input, weights) = (spec.Expression.Left.Tensor, spec.Expression.Right.Tensor);
        nint[] Lengths(TensorDeclaration t) => [.. t.Shape.Select(l => (nint)l)];
        var emulated = kernel.Prepare(new Dictionary<string, Tensor<double>> { [weights.Name] = Tensor.Create(check.Inputs[1], Lengths(weights)) })
            .Run(new Dictionary<string, Tensor<double>> { [input.Name] = Tensor.Create(check.Inputs[0], Lengths(input)) }).Output.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.Prepared!.Output, Is.EqualTo(check.Output).Using<double>(BitsEqual), "the prepared output is the plain call's, bit for bit");
            Assert.That(check.Prepared.Output, Is.EqualTo(emulated).Using<double>(BitsEqual), "and the emulator's prepared call's");
            Assert.That(check.Prepared.Comparison.Passed, check.Prepared.Comparison.ToString());
            Assert.That(Function(host, "static int prepare_core_group("), Does.Contain($"athread_spawn(swatop_{form.Transform.Name}_cpe, &transform);"), "the prepare function spawns the transform");
            Assert.That(Function(host, "static void run_core_group_prepared("), Does.Contain($"athread_spawn(swatop_{form.Run.Name}_cpe, &job->params);")
                .And.Contain($"job->params.{form.Tensor} = job->swatop_prepared->{form.Tensor}[cg];"), "a prepared call runs the form's run kernel on the transformed filters");
            Assert.That(Function(host, "static void run_core_group("), Does.Contain($"athread_spawn(swatop_{kernel.Lowered.Kernel.Name}_cpe, &job->params);"), "the plain call runs the plain kernel");
            Assert.That(kernel.Sources[KernelFiles.Cpe], Does.Contain($"void swatop_{form.Transform.Name}_cpe(void *arg)").And.Contain($"void swatop_{form.Run.Name}_cpe(void *arg)"));
        }
    }

    [Test]
    public void A_null_handle_a_null_tensor_or_a_wrong_length_gives_the_plain_entry_s_error_status()
    {
        var kernel = PackedWeights(Convolution, groups: 2);
        var entry = $"swatop_{kernel.Lowered.Kernel.Name}";
        var spec = kernel.Operator;
        var (input, weights, output) = (spec.Expression.Left.Tensor, spec.Expression.Right.Tensor, spec.Expression.Output.Tensor);
        var files = new Dictionary<string, string>(kernel.Sources.Files, StringComparer.Ordinal)
        {
            [KernelFiles.Main] = string.Create(CultureInfo.InvariantCulture, $$"""
                #include <stdio.h>
                #include "{{KernelFiles.Header}}"
                static double input[{{input.ElementLength}}] __attribute__((aligned(128)));
                static double weights[{{weights.ElementLength}}] __attribute__((aligned(128)));
                static double output[{{output.ElementLength}}] __attribute__((aligned(128)));
                int main(void)
                {
                    {{entry}}_prepared *prepared = NULL;
                    printf("null handle %d\n", {{entry}}_run(NULL, input, {{input.ElementLength}}L, output, {{output.ElementLength}}L));
                    printf("null address %d\n", {{entry}}_prepare(weights, {{weights.ElementLength}}L, NULL));
                    printf("null weights %d\n", {{entry}}_prepare(NULL, {{weights.ElementLength}}L, &prepared));
                    printf("short weights %d %s\n", {{entry}}_prepare(weights, {{weights.ElementLength - 1}}L, &prepared), prepared == NULL ? "no handle" : "a handle");
                    printf("prepared %d\n", {{entry}}_prepare(weights, {{weights.ElementLength}}L, &prepared));
                    printf("null input %d\n", {{entry}}_run(prepared, NULL, {{input.ElementLength}}L, output, {{output.ElementLength}}L));
                    printf("short output %d\n", {{entry}}_run(prepared, input, {{input.ElementLength}}L, output, {{output.ElementLength - 1}}L));
                    printf("run %d\n", {{entry}}_run(prepared, input, {{input.ElementLength}}L, output, {{output.ElementLength}}L));
                    printf("plain short %d\n", {{entry}}(input, {{input.ElementLength}}L, weights, {{weights.ElementLength - 1}}L, output, {{output.ElementLength}}L));
                    {{entry}}_release(prepared);
                    {{entry}}_release(NULL);
                    {{entry}}_halt();
                    return 0;
                }

                """),
        };
        using var build = GccShim.Build($"{spec.Signature} prepared arguments", files);
        var run = build.Run();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
            {
                "null handle -1", "null address -1", "null weights -1", "short weights -1 no handle", "prepared 0",
                "null input -1", "short output -1", "run 0", "plain short -1",
            }));
            Assert.That(run.StandardError, Does.Contain($"{entry}_run: the handle is null; call {entry}_prepare first.")
                .And.Contain($"{entry}_prepare: tensor '{weights.Name}' has {weights.ElementLength - 1} elements; the operator needs {weights.ElementLength}.")
                .And.Contain($"{entry}_run: tensor '{input.Name}' is null."));
        }
    }

    [Test]
    public void The_ranks_of_a_prepared_call_each_prepare_their_core_group_and_merge_into_the_one_process_output()
    {
        var kernel = PackedWeights(Convolution, groups: 2);
        var whole = EmittedKernelCheck.Run(kernel, seed: 9, preparedCalls: true);
        var expected = System.Runtime.InteropServices.MemoryMarshal.AsBytes(whole.Prepared!.Output.AsSpan()).ToArray();
        var files = new Dictionary<string, string>(kernel.Sources.Files, StringComparer.Ordinal);
        foreach (var file in new[] { KernelFiles.Host, KernelFiles.Main })
        {
            files[file] = $"#define {HostFilePrinter.MpiMacro} 1\n" + files[file];
        }

        foreach (var (name, text) in ShimPrograms.Files("mpi.h", "fake_mpi.c"))
        {
            files[name] = text;
        }

        using var build = GccShim.Build($"{kernel.Operator.Signature} prepared under MPI", files);
        build.WriteDoubles("left.bin", whole.Inputs[0]);
        build.WriteDoubles("right.bin", whole.Inputs[1]);
        var merged = new byte[expected.Length];
        for (var rank = 0; rank < 2; rank++)
        {
            File.WriteAllText(build.PathOf("rank.txt"), $"{rank} 2\n");
            build.Run("prepared", "left.bin", "right.bin", "out.bin");
            var share = build.ReadBytes($"reduce-{rank}.bin");
            Assert.That(share, Is.Not.EqualTo(expected), $"rank {rank} computed its core group's share, not the whole output");
            for (var i = 0; i < merged.Length; i++)
            {
                merged[i] |= share[i];
            }
        }

        Assert.That(merged, Is.EqualTo(expected), "the ranks' prepared shares, merged by a bitwise OR, are the one-process output");
    }

    [Test]
    public void A_gemm_has_no_constant_so_its_header_says_so_and_emits_the_plain_entry_alone()
    {
        var kernel = EmittedC.Kernel(Operator.Gemm(256, 40, 16), Lowering.GemmLoweringGoldenTests.Schedule);
        var sources = kernel.Sources;
        var check = EmittedKernelCheck.Run(kernel, seed: 2, preparedCalls: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sources[KernelFiles.Header], Does.Contain("No prepared calls: the operator has no constant input (A and B are activations, as a GEMM's"));
            Assert.That(string.Concat(sources.Files.Where(f => f.Key.EndsWith(".c", StringComparison.Ordinal) || f.Key == KernelFiles.Header).Select(f => f.Value)),
                Does.Not.Contain("_prepare(").And.Not.Contain("_release(").And.Not.Contain("_prepared"));
            Assert.That(check.Prepared, Is.Null, "the check runs the plain entry alone");
        }
    }

    private static bool BitsEqual(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>The text of the C function of <paramref name="text"/> that starts with <paramref name="signature"/>, up to its closing brace in the first column.</summary>
    private static string Function(string text, string signature)
    {
        var start = text.IndexOf(signature, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"the file has {signature}...");
        var end = text.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return text[start..end];
    }
}
