using Swatop.Core.Lowering;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;

namespace Swatop.Hardware.Sw26010.Target;

/// <summary>
/// A kernel's prepared form (<see cref="PreparedForm"/>) compiled for the emulator: the transform the prepare step runs once
/// on every core group, from the constant in the shared memory into the group's own copy of the transformed tensor, and the
/// kernel a prepared call runs instead of the plain one.
/// </summary>
internal sealed class PreparedTransform
{
    private readonly CompiledKernel _transform;
    private readonly CompiledKernel _run;

    public PreparedTransform(PreparedForm form)
    {
        Form = form;
        _transform = CompiledKernel.Compile(form.Transform);
        _run = CompiledKernel.Compile(form.Run);
    }

    /// <summary>The optimized form.</summary>
    public PreparedForm Form { get; }

    /// <summary>The run kernel's program for one core group, its tensors bound to <paramref name="tensors"/>.</summary>
    public CpeProgram Run(IReadOnlyDictionary<string, GlobalBuffer> tensors) => _run.Program(tensors);

    /// <summary>The transform's program for one core group: from <paramref name="constant"/> (the framework's layout) into <paramref name="transformed"/>.</summary>
    public CpeProgram Transform(GlobalBuffer constant, GlobalBuffer transformed) =>
        _transform.Program(new Dictionary<string, GlobalBuffer>(StringComparer.Ordinal) { [Form.Constant] = constant, [Form.Tensor] = transformed });

    /// <summary>
    /// Runs the transform on <paramref name="chip"/>, each core group from <paramref name="constant"/> into its buffer of
    /// <paramref name="transformed"/>, and gives its time as a prepare step. Every group computes the same tensor from the same
    /// constant, so on a timing-only chip only the first group is emulated (the others would take its time exactly).
    /// </summary>
    public StepTime Prepare(Sw26010Chip chip, GlobalBuffer constant, IReadOnlyList<GlobalBuffer> transformed, long constantBytes)
    {
        var timingOnly = chip.Options.TimingOnly;
        var report = chip.Run(
            group => !timingOnly || group.Index == 0 ? Transform(constant, transformed[group.Index]) : _ => ValueTask.CompletedTask,
            transformed.Count);
        return new StepTime($"prepare {Form.Constant}: transform into {Form.Tensor}", report.Profile.SimulatedSeconds, constantBytes, OnMpe: false);
    }
}
