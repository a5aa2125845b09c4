using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Benchmarks;

/// <summary>
/// The DMA race checks' cost measured side by side on a shared machine: a compiled convolution (128 -> 128
/// channels on 14 x 14 at batch 32, 3 x 3, double, the default schedule, 4 core groups, its layout steps
/// included), emulated sequentially (one host thread), its timing-only and full runs with the checks off
/// and on (<see cref="DmaRaceChecks.Always"/>) in alternation, each sample the process's CPU time and wall
/// time of one run; prints the medians. <c>dotnet run -c Release --project Swatop.Benchmarks -- race-check [pairs]</c>.
/// </summary>
public static class RaceCheckComparison
{
    private static readonly OperatorSpec Layer = Operator.Conv2d(32, 128, 128, 14, 14, 3, padding: 1);

    /// <summary>Runs <paramref name="pairs"/> alternating pairs of each run kind after one warm-up pair, and prints the medians.</summary>
    public static void Run(int pairs)
    {
        var off = Kernel(checks: false);
        var on = Kernel(checks: true);
        var expression = Layer.Expression;
        var (leftValues, rightValues) = ReferenceOperands.Draw(expression, 7);
        var left = Tensor.Create(leftValues, [.. expression.Left.Tensor.Shape.Select(l => (nint)l)]);
        var right = Tensor.Create(rightValues, [.. expression.Right.Tensor.Shape.Select(l => (nint)l)]);
        foreach (var (name, run) in new (string, Func<Sw26010Kernel, double>)[]
        {
            ("timing run", k => k.Measure().EndToEndSeconds),
            ("data run", k => k.Run(left, right).Profile.EndToEndSeconds),
        })
        {
            var samples = new List<(double Cpu, double Wall)>[] { [], [] };
            for (var i = 0; i <= pairs; i++)
            {
                // Off first in even pairs, on first in odd ones.
                for (var turn = 0; turn < 2; turn++)
                {
                    var side = i % 2 == 0 ? turn : 1 - turn;
                    var sample = Sample(side == 0 ? off : on, run);
                    if (i > 0)
                    {
                        samples[side].Add(sample);
                    }
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: checks off {Median(samples[0], s => s.Cpu):F1} ms CPU, {Median(samples[0], s => s.Wall):F1} ms wall; checks on {Median(samples[1], s => s.Cpu):F1} ms CPU, {Median(samples[1], s => s.Wall):F1} ms wall ({pairs} pairs, medians)"));
        }
    }

    private static Sw26010Kernel Kernel(bool checks)
    {
        var target = new Sw26010Target(options: EmulatorOptions.Sequential with { DmaRaceChecks = checks ? DmaRaceChecks.Always : DmaRaceChecks.Off });
        return (Sw26010Kernel)Layer.WithSchedule(ImplicitGemmSpace.For(Layer, target.Limits).Default()).Emit(target);
    }

    private static (double Cpu, double Wall) Sample(Sw26010Kernel kernel, Func<Sw26010Kernel, double> run)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        run(kernel);
        var elapsed = wall.Elapsed.TotalMilliseconds;
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds, elapsed);
    }

    private static double Median(List<(double Cpu, double Wall)> samples, Func<(double Cpu, double Wall), double> of)
    {
        var sorted = samples.Select(of).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
