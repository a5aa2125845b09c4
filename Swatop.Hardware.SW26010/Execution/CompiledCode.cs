namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// A kernel body as flat code. A <see cref="CodeRun"/> runs it on one CPE: synchronously until an
/// instruction really has to wait, then from where it stopped when the CPE is woken, so a
/// suspension costs the same however deep the loop nest.
/// </summary>
internal sealed class CompiledCode(Instruction[] instructions, int slots, int regions)
{
    /// <summary>The instructions, in order.</summary>
    public IReadOnlyList<Instruction> Instructions => instructions;

    /// <summary>Variable slots a frame needs: built-ins, loop and let variables, loop extents.</summary>
    public int Slots { get; } = slots;

    /// <summary>The loops that only compute in LDM (<see cref="ComputeRegion"/>), which a timing-only run may replay.</summary>
    public int Regions { get; } = regions;

    /// <summary>Runs the code from the start on <paramref name="frame"/>'s CPE.</summary>
    public ValueTask Run(ExecutionFrame frame) => new CodeRun(instructions, frame).Start();
}
