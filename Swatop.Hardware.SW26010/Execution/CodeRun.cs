using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// One CPE running a kernel's flat code, resumable where it stopped: the program counter and the
/// frame are all its state, so a CPE that has to wait parks this run on its CPE and returns; the
/// scheduler resumes it with one virtual call, and it runs on from the next instruction. No async
/// state machine or delegate is involved. The program's <see cref="ValueTask"/> completes when
/// the code ends, or faults with what an instruction threw.
/// </summary>
internal sealed class CodeRun : CpeProgramRun
{
    private readonly Instruction[] _code;
    private readonly ExecutionFrame _frame;
    private CpeWait.Awaiter _pending;
    private int _pc;

    internal CodeRun(Instruction[] code, ExecutionFrame frame)
    {
        _code = code;
        _frame = frame;
    }

    /// <summary>Runs the code from the start until it ends or first waits; the result completes when it ends.</summary>
    internal ValueTask Start() => RunOn() ? default : new ValueTask(this, Version);

    /// <summary>The wake-up: takes the operation's result and runs on.</summary>
    internal override void Resume()
    {
        try
        {
            var pending = _pending;
            _pending = default;
            pending.GetResult();
            if (RunOn())
            {
                SetResult();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SetException(e);
        }
    }

    /// <summary>
    /// Runs from the program counter; false when it parked on an operation that has to wait, true at the end.
    /// A race the CPE reports gets the kernel and the statement that raced named here, where they are known.
    /// </summary>
    private bool RunOn()
    {
        var code = _code;
        var frame = _frame;
        var pc = _pc;
        Instruction? instruction = null;
        try
        {
            while ((uint)pc < (uint)code.Length)
            {
                instruction = code[pc];
                if (!instruction.Waits)
                {
                    pc = instruction.Execute(frame, pc);
                    continue;
                }

                pc++;
                var pending = instruction.Wait(frame).GetAwaiter();
                if (!pending.IsCompleted)
                {
                    _pc = pc;
                    _pending = pending;
                    pending.Cpe!.Park(this);
                    return false;
                }

                pending.GetResult();
            }

            frame.Cpe.Ldm.Pending.CheckNoneAtEnd(frame.Kernel);
        }
        catch (DmaRaceException race) when (race.Kernel is null && instruction is not null)
        {
            throw race.At(frame.Kernel, instruction.Source.ToString().TrimEnd());
        }

        _pc = pc;
        return true;
    }
}
