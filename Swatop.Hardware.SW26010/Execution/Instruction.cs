using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// One instruction of a compiled kernel's flat code: the loop nest becomes a list of instructions
/// with jumps, so that a CPE that waits parks one program counter (<see cref="CodeRun"/>), not
/// one per enclosing loop. Most instructions run at once and say where to go next; the few that
/// may wait for another CPE or the memory controller (<see cref="Waits"/>) return a <see cref="CpeWait"/>.
/// </summary>
internal abstract class Instruction(Stmt source, bool waits = false)
{
    /// <summary>The IR statement this instruction comes from, for messages.</summary>
    public Stmt Source { get; } = source;

    /// <summary>Whether the runner calls <see cref="Wait"/> (then goes on with the next instruction) rather than <see cref="Execute"/>.</summary>
    public bool Waits { get; } = waits;

    /// <summary>Runs the instruction at <paramref name="pc"/> and returns the index of the next one.</summary>
    public virtual int Execute(ExecutionFrame frame, int pc) => throw new InvalidOperationException($"{GetType().Name} waits; the runner calls Wait.");

    /// <summary>Runs an instruction that may wait; the next one follows it.</summary>
    public virtual CpeWait Wait(ExecutionFrame frame) => throw new InvalidOperationException($"{GetType().Name} does not wait; the runner calls Execute.");
}

/// <summary>An instruction that runs at once and falls through to the next one.</summary>
internal abstract class SimpleInstruction(Stmt source) : Instruction(source)
{
    /// <inheritdoc />
    public sealed override int Execute(ExecutionFrame frame, int pc)
    {
        Run(frame);
        return pc + 1;
    }

    /// <summary>Runs the instruction.</summary>
    protected abstract void Run(ExecutionFrame frame);
}

/// <summary>
/// The head of a <c>for</c> loop: evaluates the extent once into a hidden slot, sets the loop
/// variable to 0, and jumps past the loop when there is nothing to do.
/// </summary>
internal sealed class LoopStart(ForLoop source, int slot, int countSlot, CompiledExpr extent, int exit) : Instruction(source)
{
    public override int Execute(ExecutionFrame frame, int pc)
    {
        var slots = frame.Slots;
        var count = extent.Evaluate(slots);
        slots[countSlot] = count;
        slots[slot] = 0;
        return count > 0 ? pc + 1 : exit;
    }
}

/// <summary>The tail of a <c>for</c> loop: steps the variable and jumps back to the body while it is below the extent.</summary>
internal sealed class LoopNext(ForLoop source, int slot, int countSlot, int body) : Instruction(source)
{
    public override int Execute(ExecutionFrame frame, int pc)
    {
        var slots = frame.Slots;
        var next = slots[slot] + 1;
        slots[slot] = next;
        return next < slots[countSlot] ? body : pc + 1;
    }
}

/// <summary>Goes on when the condition holds, else jumps to the else branch or past the conditional.</summary>
internal sealed class BranchUnless(Conditional source, CompiledExpr condition, int otherwise) : Instruction(source)
{
    public override int Execute(ExecutionFrame frame, int pc) => condition.Evaluate(frame.Slots) != 0 ? pc + 1 : otherwise;
}

/// <summary>Jumps: from the end of a then branch past its else branch.</summary>
internal sealed class Jump(Stmt source, int target) : Instruction(source)
{
    public override int Execute(ExecutionFrame frame, int pc) => target;
}

/// <summary>Binds a let variable's slot.</summary>
internal sealed class Bind(Let source, int slot, CompiledExpr value) : SimpleInstruction(source)
{
    protected override void Run(ExecutionFrame frame) => frame.Slots[slot] = value.Evaluate(frame.Slots);
}
