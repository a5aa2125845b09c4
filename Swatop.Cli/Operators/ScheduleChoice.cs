using Microsoft.Extensions.Logging;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;

namespace Swatop.Cli.Operators;

/// <summary>
/// The schedule an option names: <c>default</c> (the space's default), <c>tuned</c> (model-guided
/// tuning, through a tuning database, the user's unless another is named: a record there is applied,
/// a new result recorded),
/// <c>swdnn</c> (swDNN's, for the convolutions it supports) or a JSON file written by <see cref="Schedule.ToJson"/>.
/// </summary>
internal static class ScheduleChoice
{
    /// <summary>The schedule <paramref name="choice"/> names for <paramref name="spec"/>; <paramref name="database"/> is the tuning database <c>tuned</c> goes through, <see cref="TuningDatabase.DefaultPath"/> when null, and <paramref name="logger"/> is told what tuning and the database did.</summary>
    /// <exception cref="ScheduleException">The schedule does not apply, or the file does not hold one.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    /// <exception cref="TuningException">The database cannot be used.</exception>
    /// <remarks>
    /// <paramref name="algorithm"/> names the algorithm the schedule must be of (<see cref="ScheduleAlgorithms.Names"/>), or
    /// null for any: <c>default</c> is then that algorithm's default, <c>tuned</c> searches its space alone, and a
    /// schedule of another algorithm (swDNN's is an implicit GEMM one, or a file's) is a <see cref="ScheduleException"/>.
    /// </remarks>
    public static Schedule Resolve(string choice, OperatorSpec spec, ITarget target, string? database = null, ILogger? logger = null, string? algorithm = null)
    {
        var schedule = choice switch
        {
            "default" => ScheduleSpace.For(spec, target.Limits, null, algorithm).Default(),
            "tuned" => spec.Tune(target, new TuningOptions { Database = new TuningDatabase(database ?? TuningDatabase.DefaultPath, logger), Logger = logger, Algorithm = algorithm }).Schedule,
            "swdnn" => Schedules.SwDnn(spec, target.Limits),
            _ => Schedule.FromJson(File.ReadAllText(choice)),
        };
        return algorithm is null || schedule.Algorithm == algorithm ? schedule
            : throw new ScheduleException(ScheduleDiagnostics.NotApplicable, nameof(Schedule.Algorithm),
                $"--schedule {choice} gives a schedule of algorithm '{schedule.Algorithm}', but --algorithm asks for '{algorithm}'.");
    }
}
