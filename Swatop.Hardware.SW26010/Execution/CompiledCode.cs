namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// A kernel body as flat code and the loop that runs it on one CPE. The loop runs synchronously
/// until an instruction really has to wait; only then does it continue in an async method, which
/// keeps running the code from where it was, so a suspension costs one state machine, however
/// deep the loop nest.
/// </summary>
internal sealed class CompiledCode(Instruction[] instructions, int slots)
{
    /// <summary>The instructions, in order.</summary>
    public IReadOnlyList<Instruction> Instructions => instructions;

    /// <summary>Variable slots a frame needs: built-ins, loop and let variables, loop extents.</summary>
    public int Slots { get; } = slots;

    /// <summary>Runs the code from the start on <paramref name="frame"/>'s CPE.</summary>
    public ValueTask Run(ExecutionFrame frame)
    {
        var code = instructions;
        var pc = 0;
        while ((uint)pc < (uint)code.Length)
        {
            var instruction = code[pc];
            if (!instruction.Waits)
            {
                pc = instruction.Execute(frame, pc);
                continue;
            }

            pc++;
            var pending = instruction.Wait(frame);
            if (!pending.IsCompletedSuccessfully)
            {
                return Continue(pending, pc, frame);
            }

            pending.GetAwaiter().GetResult();
        }

        return default;
    }

    private async ValueTask Continue(ValueTask pending, int pc, ExecutionFrame frame)
    {
        await pending;
        var code = instructions;
        while ((uint)pc < (uint)code.Length)
        {
            var instruction = code[pc];
            if (!instruction.Waits)
            {
                pc = instruction.Execute(frame, pc);
                continue;
            }

            pc++;
            var next = instruction.Wait(frame);
            if (!next.IsCompletedSuccessfully)
            {
                await next;
            }
            else
            {
                next.GetAwaiter().GetResult();
            }
        }
    }
}
