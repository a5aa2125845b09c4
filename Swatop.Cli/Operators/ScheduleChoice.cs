using Swatop.Core;
using Swatop.Core.Scheduling;

namespace Swatop.Cli.Operators;

/// <summary>The schedule an option names: <c>default</c> (the space's default), <c>swdnn</c> (swDNN's, for the convolutions it supports) or a JSON file written by <see cref="Schedule.ToJson"/>.</summary>
internal static class ScheduleChoice
{
    /// <summary>The schedule <paramref name="choice"/> names for <paramref name="spec"/>.</summary>
    /// <exception cref="ScheduleException">The schedule does not apply, or the file does not hold one.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The space is empty.</exception>
    public static Schedule Resolve(string choice, OperatorSpec spec, TargetLimits limits) => choice switch
    {
        "default" => spec.Space(limits).Default(),
        "swdnn" => Schedules.SwDnn(spec, limits),
        _ => Schedule.FromJson(File.ReadAllText(choice)),
    };
}
