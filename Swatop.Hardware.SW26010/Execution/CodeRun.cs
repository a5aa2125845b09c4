using System.Threading.Tasks.Sources;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// One CPE running a kernel's flat code, resumable where it stopped: the program counter and the
/// frame are all its state, so a CPE that has to wait parks this object's resume action on the
/// emulator's operation and returns; the scheduler's wake-up calls it back, and it runs on from
/// the next instruction. No async state machine is involved, so a suspension costs one delegate
/// call each way. The program's <see cref="ValueTask"/> completes when the code ends, or faults
/// with what an instruction threw.
/// </summary>
internal sealed class CodeRun : IValueTaskSource
{
    private readonly Instruction[] _code;
    private readonly ExecutionFrame _frame;
    private readonly Action _resume;
    private ManualResetValueTaskSourceCore<bool> _completion;
    private ValueTask _pending;
    private int _pc;

    internal CodeRun(Instruction[] code, ExecutionFrame frame)
    {
        _code = code;
        _frame = frame;
        _resume = Resume;
        _completion.RunContinuationsAsynchronously = false;
    }

    /// <summary>Runs the code from the start until it ends or first waits; the result completes when it ends.</summary>
    internal ValueTask Start() => RunOn() ? default : new ValueTask(this, _completion.Version);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    /// <summary>Runs from the program counter; false when it parked on an operation that has to wait, true at the end.</summary>
    private bool RunOn()
    {
        var code = _code;
        var frame = _frame;
        var pc = _pc;
        while ((uint)pc < (uint)code.Length)
        {
            var instruction = code[pc];
            if (!instruction.Waits)
            {
                pc = instruction.Execute(frame, pc);
                continue;
            }

            pc++;
#pragma warning disable CA2012 // a pending operation is kept once and consumed once, by Resume
            var pending = instruction.Wait(frame);
#pragma warning restore CA2012
            if (!pending.IsCompleted)
            {
                _pc = pc;
                _pending = pending;
                pending.GetAwaiter().UnsafeOnCompleted(_resume);
                return false;
            }

            pending.GetAwaiter().GetResult();
        }

        _pc = pc;
        return true;
    }

    /// <summary>The wake-up: takes the operation's result and runs on.</summary>
    private void Resume()
    {
        try
        {
            var pending = _pending;
            _pending = default;
            pending.GetAwaiter().GetResult();
            if (RunOn())
            {
                _completion.SetResult(true);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _completion.SetException(e);
        }
    }
}
