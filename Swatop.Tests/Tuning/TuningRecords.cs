using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core;
using Swatop.Core.Scheduling;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Tests.Scheduling;

namespace Swatop.Tests.Tuning;

/// <summary>Records for the database tests: real schedules of small operators, fixed dates.</summary>
internal static class TuningRecords
{
    public static readonly DateTimeOffset Monday = new(2025, 3, 3, 9, 30, 0, TimeSpan.Zero);

    public static OperatorSpec Gemm => SmallOperators.Gemm;

    public static OperatorSpec Conv => SmallOperators.Conv;

    public static string Target => Sw26010Target.Default.Signature;

    /// <summary>The <paramref name="index"/>-th schedule of the operator's space, in its enumeration order.</summary>
    public static Schedule ScheduleOf(OperatorSpec spec, int index = 0) =>
        ImplicitGemmSpace.For(spec, SmallOperators.Limits).Enumerate().ElementAt(index);

    /// <summary>A record of the operator on the default SW26010 target.</summary>
    public static TuningRecord Of(OperatorSpec spec, double measuredSeconds, int schedule = 0, DateTimeOffset? date = null, double? modelledSeconds = null) =>
        TuningRecord.For(spec, Sw26010Target.Default, ScheduleOf(spec, schedule), measuredSeconds, modelledSeconds ?? measuredSeconds * 0.9, date ?? Monday);
}
