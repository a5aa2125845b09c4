using Swatop.Cli.Commands;

namespace Swatop.Cli;

/// <summary>The <c>swatop</c> command.</summary>
public static class Program
{
    private const string Usage = """
        swatop: tune deep-learning operators for the Sunway SW26010.

        usage: swatop <command>

        commands:
          demo                          tune, emit, run and check a ResNet-50 layer; run and check a GEMM on all four core groups; time swDNN's convolution beside its measured speed
          calibrate --shapes FILE.csv   run swDNN's convolution on each shape of the file, print it back with simulated GFLOPS
          calibrate --dma               run the DMA micro-benchmarks, print them beside the measured series
          run --op conv2d|gemm|fc ...   run one operator with a named or default schedule, check it, print its profile
          check --shapes FILE.csv       run every operator of a shapes file with its default schedule, check each, print CSV
          tune --op ... | --shapes FILE tune one operator or every one of a shapes file, print the winner beside swDNN's schedule;
          tune --network NAME --batch N tune ResNet-50 or VGG-16 as a graph, layouts chosen jointly, one CSV row per layer and a total
          report --shapes FILE.csv      tune each operator and report the cost model's fidelity, tuning time against exhaustive, roofline
          emit --out FOLDER ...         write an operator's athread C (or each row of --shapes); --check-headers compiles it against the SW5 headers, --verify also runs it on the gcc shim
          help                          print this text
        """;

    /// <summary>Entry point; returns 0 on success, 1 when a check failed, 2 on a usage error.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = args.Length == 0 ? "help" : args[0];
        switch (command)
        {
            case "demo" when args.Length == 1:
                return DemoCommand.Run(Console.Out);
            case "calibrate":
                return CalibrateCommand.Run(args[1..], Console.Out, Console.Error, CalibrateCommand.SimulateSwDnn);
            case "run":
                return RunCommand.Run(args[1..], Console.Out, Console.Error);
            case "check":
                return CheckCommand.Run(args[1..], Console.Out, Console.Error);
            case "report":
                return ReportCommand.Run(args[1..], Console.Out, Console.Error);
            case "tune":
                return TuneCommand.Run(args[1..], Console.Out, Console.Error, progressBar: !Console.IsErrorRedirected);
            case "emit":
                return EmitCommand.Run(args[1..], Console.Out, Console.Error);
            case "help" or "--help" or "-h":
                Console.Out.WriteLine(Usage);
                return 0;
            default:
                Console.Error.WriteLine($"swatop: unknown command or arguments '{string.Join(' ', args)}'.");
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}
