using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;

namespace Swatop.Cli.Operators;

/// <summary>
/// The schedule an option names: <c>default</c> (the space's default), <c>tuned</c> (model-guided
/// tuning, through the user's tuning database: a record there is applied, a new result recorded),
/// <c>swdnn</c> (swDNN's, for the convolutions it supports) or a JSON file written by <see cref="Schedule.ToJson"/>.
/// </summary>
internal static class ScheduleChoice
{
    /// <summary>The schedule <paramref name="choice"/> names for <paramref name="spec"/>.</summary>
    /// <exception cref="ScheduleException">The schedule does not apply, or the file does not hold one.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public static Schedule Resolve(string choice, OperatorSpec spec, ITarget target) => choice switch
    {
        "default" => spec.Space(target.Limits).Default(),
        "tuned" => spec.Tune(target, new TuningOptions { Database = new TuningDatabase(TuningDatabase.DefaultPath) }).Schedule,
        "swdnn" => Schedules.SwDnn(spec, target.Limits),
        _ => Schedule.FromJson(File.ReadAllText(choice)),
    };
}
