using Swatop.Core;
using Swatop.Core.Tuning;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary><c>spec.Tune()</c> on the default target, the SW26010 (<see cref="Sw26010Target.Default"/>).</summary>
public static class Sw26010Tuning
{
    /// <summary>Tunes <paramref name="spec"/> for <see cref="Sw26010Target.Default"/>; see <see cref="OperatorTuning.Tune"/>.</summary>
    public static TuningResult Tune(this OperatorSpec spec, TuningOptions? options = null) => spec.Tune(Sw26010Target.Default, options);
}
