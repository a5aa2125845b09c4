using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Swatop.Cli.CommandLine;
using Swatop.Cli.Operators;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop run</c>: one operator from command-line options, with a named or default schedule,
/// compiled for the emulated SW26010, run on seeded operands, checked against the reference, and
/// its simulated profile printed.
/// </summary>
internal static class RunCommand
{
    /// <summary>Declares the command: the operator's options, <c>--schedule</c>, <c>--database</c>, <c>--seed</c>.</summary>
    internal static Command Create(CommonOptions options, CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("run", "Run one operator with a named or default schedule on the emulated SW26010, check it against the reference, print its profile. "
            + "conv2d takes --batch --in-channels --out-channels --in-height --in-width --kernel [--stride] [--pad] [--dilation] [--groups] [--layout]; "
            + "gemm --m --n --k [--batch] [--transpose-a] [--transpose-b]; fc --batch --in-channels --out-channels. Exits 1 when the output is wrong.");
        options.Operator.AddTo(command);
        command.Options.Add(options.Schedule);
        command.Options.Add(options.Algorithm);
        command.Options.Add(options.Database);
        command.Options.Add(options.Seed);
        command.SetAction(result =>
        {
            if (SwatopCommandLine.HelpWhenBare(result, options.Verbose) is { } bare)
            {
                return bare;
            }

            using var logging = services.Logging(result.GetValue(options.Verbose));
            return Run(options.Operator.Fields(result), result.GetValue(options.Schedule)!, options.AlgorithmIn(result), result.GetValue(options.Database), result.GetValue(options.Seed),
                result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, services.TargetOrDefault, logging.CreateLogger("swatop"));
        });
        return command;
    }

    /// <summary>Runs the command line <c>swatop run</c> <paramref name="arguments"/>; returns 0 when the output matches the reference, 1 when it does not, 2 on bad input.</summary>
    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, ITarget? target = null) =>
        SwatopCommandLine.Invoke(["run", .. arguments], output, error, CommandServices.Default with { Target = target, ProgressBar = false });

    private static int Run(OperatorFields fields, string scheduleChoice, string? algorithm, string? database, int seed, TextWriter output, TextWriter error, ITarget target, ILogger logger)
    {
        OperatorSpec spec;
        Schedule schedule;
        try
        {
            spec = fields.ToSpec();
            schedule = ScheduleChoice.Resolve(scheduleChoice, spec, target, database, logger, algorithm);
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
