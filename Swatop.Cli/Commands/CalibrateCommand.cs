using System.CommandLine;
using System.Globalization;
using Swatop.Cli.CommandLine;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Timing;
using Swatop.Hardware.Sw26010.Kernels;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop calibrate --shapes FILE.csv</c>: runs the swDNN convolution on each shape of a shape
/// file and writes the file back to standard output with a <c>simulated_gflops</c> column. When
/// the file carries measured figures (<c>measured_gflops_4cg</c>), it also tells on standard error
/// how many rows the simulation gets within 20% and the Spearman rank correlation of the two.
/// </summary>
/// <remarks>
/// The simulated GFLOPS of a shape come from the function the caller passes: the emulator's time
/// model turns a run's report into seconds. Every row is checked (file format, kernel rules,
/// measured figures) before the first shape runs, so a bad file fails at once and writes nothing.
/// </remarks>
internal static class CalibrateCommand
{
    /// <summary>The column the command adds.</summary>
    internal const string SimulatedColumn = "simulated_gflops";

    /// <summary>The column of measured GFLOPS on 4 core groups, compared with the simulation when present.</summary>
    internal const string MeasuredColumn = "measured_gflops_4cg";

    /// <summary>A row agrees with its measurement when the simulation is within this share of it.</summary>
    internal const double Tolerance = 0.20;

    /// <summary>Spawn / join pairs per measurement, as swDNN's timing ran them.</summary>
    internal const int Spawns = 100;

    /// <summary>
    /// The simulated GFLOPS of swDNN's convolution of <paramref name="shape"/> on 4 core groups,
    /// measured as the original was: 100 spawn / join pairs per core group, in timing-only mode.
    /// </summary>
    internal static double SimulateSwDnn(SwDnnShape shape) => MeasureSwDnn(shape).Profile.Gflops;

    /// <summary>
    /// The kernel swDNN plans for <paramref name="shape"/> on the real chip's 4 core groups and its
    /// simulated time over <see cref="Spawns"/> spawns, timing only, on the host as
    /// <paramref name="options"/> say (parallel by default).
    /// </summary>
    internal static (SwDnnConvolution Kernel, RunProfile Profile) MeasureSwDnn(SwDnnShape shape, EmulatorOptions? options = null)
    {
        var chip = new Sw26010Chip(Sw26010Spec.Default, (options ?? EmulatorOptions.Default) with { TimingOnly = true });
        var kernel = new SwDnnConvolution(shape, chip.CoreGroups.Count, chip.Spec);
        return (kernel, kernel.Measure(chip, Spawns).Profile);
    }

    /// <summary>Declares the command: <c>--shapes FILE.csv</c> or <c>--dma</c>.</summary>
    internal static Command Create(CommonOptions options, CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var dma = new Option<bool>("--dma") { Description = "Run the DMA micro-benchmarks and print them beside the measured series, as CSV." };
        var command = new Command("calibrate", "Run swDNN's convolution on each shape of --shapes FILE.csv and print the file back with simulated_gflops "
            + $"(beside {MeasuredColumn} where the file has it, with a summary on standard error); or, with --dma, the DMA micro-benchmarks beside the measured series.");
        command.Options.Add(options.Shapes);
        command.Options.Add(dma);
        command.Validators.Add(result =>
        {
            if (result.Given(options.Shapes) == result.Given(dma))
            {
                result.AddError("expected --shapes FILE.csv or --dma, one of the two.");
            }
        });
        command.SetAction(result => result.GetValue(dma)
            ? RunDma(result.InvocationConfiguration.Output)
            : Run(result.GetValue(options.Shapes)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, services.SimulateSwDnn));
        return command;
    }

    /// <summary>
    /// Runs the command line <c>swatop calibrate</c> <paramref name="arguments"/>; returns 0 on
    /// success and 2 on a usage error or a bad shape file.
    /// </summary>
    /// <param name="arguments">The command's arguments: <c>--shapes FILE.csv</c> or <c>--dma</c>.</param>
    /// <param name="output">Receives the CSV.</param>
    /// <param name="error">Receives the summary and the errors.</param>
    /// <param name="simulatedGflops">The simulated GFLOPS of the swDNN convolution of a shape on 4 core groups.</param>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, Func<SwDnnShape, double> simulatedGflops) =>
        SwatopCommandLine.Invoke(["calibrate", .. arguments], output, error, CommandServices.Default with { SimulateSwDnn = simulatedGflops, ProgressBar = false });

    private static int Run(string path, TextWriter output, TextWriter error, Func<SwDnnShape, double> simulatedGflops)
    {
        ShapeTable table;
        double[]? measured;
        try
        {
            table = ShapeCsvReader.ReadFile(path);
            CheckKernelRules(table);
            measured = table.HasColumn(MeasuredColumn) ? [.. table.Rows.Select(row => table.PositiveNumber(row, MeasuredColumn))] : null;
        }
        catch (Exception e) when (e is ShapeCsvException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"calibrate: {e.Message}");
            return 2;
        }

        var writer = new ShapeCsvWriter(output, table.Columns, [SimulatedColumn]);
        writer.WriteHeader();
        var simulated = new double[table.Rows.Count];
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            simulated[i] = simulatedGflops(row.Shape);
            writer.WriteRow(row, ShapeCsvWriter.Format(simulated[i]));
            output.Flush();
        }

        if (measured is not null)
        {
            error.WriteLine(Summary(simulated, measured));
        }

        return 0;
    }

    /// <summary>
    /// <c>--dma</c>: the DMA micro-benchmarks on the emulator beside every point of the measured
    /// series they repeat, as CSV: series, block_bytes, measured_gbps, simulated_gbps, error_percent.
    /// </summary>
    private static int RunDma(TextWriter output)
    {
        output.WriteLine("series,block_bytes,measured_gbps,simulated_gbps,error_percent");
        foreach (var pattern in Enum.GetValues<DmaPattern>())
        {
            foreach (var point in DmaBandwidthTable.Default.Series(DmaMicrobenchmark.SeriesName(pattern)))
            {
                if (point.BlockBytes > 16 * 1024 || (pattern == DmaPattern.StridedGap8 && DmaMicrobenchmark.StridedRequestBytes % point.BlockBytes != 0))
                {
                    continue;
                }

                var simulated = DmaMicrobenchmark.MeasureGigabytesPerSecond(pattern, point.BlockBytes);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{DmaMicrobenchmark.SeriesName(pattern)},{point.BlockBytes},{point.GigabytesPerSecond},{simulated:F3},{100 * (simulated - point.GigabytesPerSecond) / point.GigabytesPerSecond:F1}"));
            }
        }

        return 0;
    }

    /// <summary>The agreement of the simulation with the measurements, as one line.</summary>
    internal static string Summary(IReadOnlyList<double> simulated, IReadOnlyList<double> measured)
    {
        var within = simulated.Zip(measured).Count(pair => Math.Abs(pair.First - pair.Second) <= Tolerance * pair.Second);
        var rows = simulated.Count;
        var spearman = rows >= 2 ? SpearmanCorrelation.Compute(simulated, measured) : double.NaN;
        var correlation = double.IsNaN(spearman) ? "undefined (it needs at least 2 rows and values that differ)" : spearman.ToString("F3", CultureInfo.InvariantCulture);
        var share = rows == 0 ? 0 : 100.0 * within / rows;
        return string.Create(CultureInfo.InvariantCulture,
            $"calibrate: {within} of {rows} rows ({share:F1}%) within {Tolerance * 100:F0}% of {MeasuredColumn}; Spearman rank correlation {correlation}");
    }

    /// <summary>Refuses, naming the line, a shape the swDNN kernel does not support on 4 core groups.</summary>
    private static void CheckKernelRules(ShapeTable table)
    {
        foreach (var row in table.Rows)
        {
            try
            {
                _ = new SwDnnConvolution(row.Shape, 4);
            }
            catch (ArgumentException e)
            {
                throw new ShapeCsvException(table.Source, row.LineNumber, ShapeCsvReader.ColumnOf(e.ParamName), $"the swDNN kernel does not support this shape: {e.Message.Split(" (Parameter", 2)[0]}");
            }
        }
    }
}
