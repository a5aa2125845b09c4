using System.Globalization;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop run</c>: one operator from command-line options, with a named or default schedule,
/// compiled for the emulated SW26010, run on seeded operands, checked against the reference, and
/// its simulated profile printed.
/// </summary>
internal static class RunCommand
{
    internal const string Usage = """
        usage: swatop run --op conv2d|gemm|fc [sizes] [--dtype float32|float64] [--schedule default|tuned|swdnn|FILE.json] [--database PATH] [--seed N]
          conv2d: --batch --in-channels --out-channels --in-height --in-width --kernel (or --kernel-h, --kernel-w)
                  [--stride] [--pad] [--dilation] (or their -h / -w forms) [--groups] [--layout nchw|nhwc]
          gemm:   --m --n --k [--batch] [--transpose-a 0|1] [--transpose-b 0|1]
          fc:     --batch --in-channels --out-channels
        """;

    /// <summary>Runs the command with <paramref name="arguments"/> (those after <c>run</c>); returns 0 when the output matches the reference, 1 when it does not, 2 on bad input.</summary>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, ITarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        target ??= Sw26010Target.Default;
        if (arguments.Count == 0)
        {
            error.WriteLine(Usage);
            return 2;
        }

        OperatorSpec spec;
        Schedule schedule;
        int seed;
        try
        {
            var options = CommandOptions.Parse(arguments, "schedule", "seed", "database");
            spec = CommandOptions.Fields(options).ToSpec();
            seed = CommandOptions.Seed(options);
            schedule = ScheduleChoice.Resolve(options.GetValueOrDefault("schedule", "default"), spec, target, options.GetValueOrDefault("database"));
        }
        catch (UsageException e)
        {
            error.WriteLine($"run: {e.Message}");
            error.WriteLine(Usage);
            return 2;
        }
        catch (Exception e) when (e is OperatorDescriptionException or ScheduleException or TuningException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine($"run: {e.Message}");
            return 2;
        }

        OperatorCheck check;
        try
        {
            check = OperatorCheck.Run(spec, schedule, target, seed);
        }
        catch (ScheduleException e)
        {
            error.WriteLine($"run: {e.Message}");
            return 2;
        }

        var ic = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ic, $"{spec.Signature}: {spec.Flops / 1e9:F3} GFlop on {target.Name}"));
        output.WriteLine($"  schedule   {check.Schedule}");
        output.WriteLine($"  check      {check.Comparison}");
        output.WriteLine($"  simulated  {check.Profile}");
        output.WriteLine(string.Create(ic, $"  host       {check.HostSeconds:F2} s to compile, emulate and check"));
        output.WriteLine($"  result     {(check.Comparison.Passed ? "PASS" : "FAIL")}");
        return check.Comparison.Passed ? 0 : 1;
    }
}
