using BenchmarkDotNet.Running;

namespace Swatop.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet suites: <c>dotnet run -c Release --project Swatop.Benchmarks -- --filter '*'</c>; or, with
/// <c>-- figures [name part]</c>, prints the simulated figures of the layout step cases whose names contain the part
/// (<see cref="LayoutStepFigures"/>), without the host's timing; with <c>-- race-check [pairs]</c>, compares runs
/// with the DMA race checks off and on (<see cref="RaceCheckComparison"/>); with <c>-- epilogue [layer]</c>, measures a
/// ResNet-50 layer's kernel with and without a fused epilogue (<see cref="EpilogueCost"/>); with <c>-- winograd-estimate [layer part] [tiles, e.g. 4,6]</c>, estimates Winograd as batched mesh
/// GEMMs on the stride-1 3 x 3 layers (<see cref="WinogradEstimate"/>); with <c>-- layer-profile [layer part] [algorithm]</c>, profiles a layer's tuned kernel (<see cref="LayerProfile"/>); with <c>-- winograd-fused [layer part]</c>, tunes them with every algorithm against the implicit GEMM alone (<see cref="FusedWinograd"/>); with <c>-- winograd-stages [layer part]</c>, prices and measures the fused Winograd stage by stage (<see cref="WinogradStages"/>); with <c>-- winograd-composite [layer part] [tile]</c>, the composite Winograd tuned alone, priced stage by stage (<see cref="CompositeWinograd"/>); with <c>-- winograd-price [layer part] [count]</c>, the fused schedules the model ranks first, priced and measured (<see cref="WinogradPrice"/>); with <c>-- algorithm-ranking [layer part]</c>, compares the cost
/// model's ranking of the convolution algorithms with the emulator's (<see cref="AlgorithmRanking"/>); with <c>-- tuning-profile [layer] [dtype] [repeats]</c>,
/// times a layer's tuning stage by stage (<see cref="TuningProfile"/>); with <c>-- representative-parts [layer part] [dtype]</c>, times
/// the tuner's candidates on a representative part of the batch against their full emulation (<see cref="RepresentativeParts"/>), and with
/// <c>-- representative-tune [layer part] [dtype] [repeats]</c> a layer's whole search either way; with <c>-- node-kernels</c>, times an unfused add and a concatenation on the CPEs
/// against their DMA plateau and the MPE (<see cref="NodeKernelFigures"/>); with <c>-- softmax</c>, times the classifier's softmax on the CPEs
/// against the MPE and measures the exponential's error (<see cref="SoftmaxFigures"/>); with <c>-- concat-view [batch] [dtype] [trials]</c>,
/// tunes GoogLeNet's Inception 3a block with its concatenation as a copy and as a view (<see cref="ConcatViewFigures"/>); with
/// <c>-- image-rows DATABASE [layer part]</c>, profiles the in-place 1 x 1 layers' schedules of a tuning database (<see cref="ImageRowsProfile"/>); with
/// <c>-- image-rows-bound LAYER [allowed ms]</c>, bounds what any schedule of the implicit GEMM's space could do on one of them (<see cref="ImageRowsBound"/>); with
/// <c>-- group-memory-tune [layer part] [dtype]</c>, counts and times a 1 x 1 layer's tuning with the caller's activations in the shared memory and in the
/// core groups' memories (<see cref="GroupMemoryTuning"/>).
/// </summary>
public static class Program
{
    /// <summary>Entry point; arguments go to <see cref="BenchmarkSwitcher"/>, or name the layout step cases to print.</summary>
    public static void Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "figures")
        {
            var part = args.Length > 1 ? args[1] : "";
            foreach (var layoutCase in LayoutStepCase.All.Where(c => c.Name.Contains(part, StringComparison.Ordinal)))
            {
                Console.WriteLine(LayoutStepFigures.Of(layoutCase));
            }

            return;
        }

        if (args.Length > 0 && args[0] == "race-check")
        {
            RaceCheckComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 9);
            return;
        }

        if (args.Length > 0 && args[0] == "epilogue")
        {
            EpilogueCost.Run(args.Length > 1 ? args[1] : "res3_1x1_expand");
            return;
        }

        if (args.Length > 0 && args[0] == "algorithm-ranking")
        {
            AlgorithmRanking.Run(args.Length > 1 ? args[1] : "");
            return;
        }

        if (args.Length > 0 && args[0] == "tuning-profile")
        {
            TuningProfile.Run(args.Length > 1 ? args[1] : "vgg16-conv1_2", args.Length > 2 ? args[2] : "float32", args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 2);
            return;
        }

        if (args.Length > 0 && args[0] == "representative-parts")
        {
            RepresentativeParts.Run(args.Length > 1 ? args[1] : "", args.Length > 2 ? args[2] : "float32");
            return;
        }

        if (args.Length > 0 && args[0] == "representative-tune")
        {
            RepresentativeParts.Tune(args.Length > 1 ? args[1] : "", args.Length > 2 ? args[2] : "float32", args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1);
            return;
        }

        if (args.Length > 1 && args[0] == "image-rows")
        {
            ImageRowsProfile.Run(args[1], args.Length > 2 ? args[2] : "");
            return;
        }

        if (args.Length > 1 && args[0] == "image-rows-bound")
        {
            ImageRowsBound.Run(args[1], args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0);
            return;
        }

        if (args.Length > 0 && args[0] == "node-kernels")
        {
            NodeKernelFigures.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "concat-view")
        {
            ConcatViewFigures.Run(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 32,
                args.Length > 2 && args[2] == "float64" ? Primitives.ElementType.Float64 : Primitives.ElementType.Float32,
                args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 8);
            return;
        }

        if (args.Length > 0 && args[0] == "softmax")
        {
            SoftmaxFigures.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "winograd-estimate")
        {
            WinogradEstimate.Run(args.Length > 1 ? args[1] : "", args.Length > 2 ? args[2].Split(',').Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : null);
            return;
        }

        if (args.Length > 0 && args[0] == "winograd-stages")
        {
            WinogradStages.Run(args.Length > 1 ? args[1] : "");
            return;
        }

        if (args.Length > 0 && args[0] == "winograd-price")
        {
            WinogradPrice.Run(args.Length > 1 ? args[1] : "", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Swatop.Core.Tuning.ModelGuidedSearch.DefaultMeasured);
            return;
        }

        if (args.Length > 0 && args[0] == "layer-profile")
        {
            LayerProfile.Run(args.Length > 1 ? args[1] : "", args.Length > 2 ? args[2] : "");
            return;
        }

        if (args.Length > 0 && args[0] == "winograd-composite")
        {
            CompositeWinograd.Run(args.Length > 1 ? args[1] : "", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null);
            return;
        }

        if (args.Length > 0 && args[0] == "group-memory-tune")
        {
            GroupMemoryTuning.Run(args.Length > 1 ? args[1] : "res5_1x1_expand", args.Length > 2 ? args[2] : "float64");
            return;
        }

        if (args.Length > 0 && args[0] == "winograd-fused")
        {
            FusedWinograd.Run(args.Length > 1 ? args[1] : "");
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
