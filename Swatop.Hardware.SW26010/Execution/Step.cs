using Swatop.Core.Ir;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// A statement compiled for the executor. <see cref="Run"/> returns an already completed
/// <see cref="ValueTask"/> unless the statement (or one inside it) really waits for another CPE or
/// the memory controller; only then does a compound statement fall back to an async continuation.
/// </summary>
internal abstract class Step(Stmt source)
{
    /// <summary>The IR statement this step runs, for messages.</summary>
    public Stmt Source { get; } = source;

    /// <summary>Runs the statement on one CPE.</summary>
    public abstract ValueTask Run(ExecutionFrame frame);
}

/// <summary>A statement that never waits: it runs to completion inside <see cref="Run"/>.</summary>
internal abstract class SyncStep(Stmt source) : Step(source)
{
    /// <inheritdoc />
    public sealed override ValueTask Run(ExecutionFrame frame)
    {
        Execute(frame);
        return default;
    }

    /// <summary>Runs the statement.</summary>
    public abstract void Execute(ExecutionFrame frame);
}

/// <summary>Statements in order.</summary>
internal sealed class BlockStep(Block source, Step[] steps) : Step(source)
{
    public override ValueTask Run(ExecutionFrame frame)
    {
        for (var i = 0; i < steps.Length; i++)
        {
            var pending = steps[i].Run(frame);
            if (!pending.IsCompletedSuccessfully)
            {
                return Continue(pending, i + 1, frame);
            }

            pending.GetAwaiter().GetResult();
        }

        return default;
    }

    private async ValueTask Continue(ValueTask pending, int next, ExecutionFrame frame)
    {
        await pending;
        for (var i = next; i < steps.Length; i++)
        {
            await steps[i].Run(frame);
        }
    }
}

/// <summary><c>for (v = 0; v &lt; extent; v++) body</c>; the extent is evaluated once, on entry.</summary>
internal sealed class ForStep(ForLoop source, int slot, CompiledExpr extent, Step body) : Step(source)
{
    public override ValueTask Run(ExecutionFrame frame)
    {
        var slots = frame.Slots;
        var count = extent.Evaluate(slots);
        for (var i = 0L; i < count; i++)
        {
            slots[slot] = i;
            var pending = body.Run(frame);
            if (!pending.IsCompletedSuccessfully)
            {
                return Continue(pending, i, count, frame);
            }

            pending.GetAwaiter().GetResult();
        }

        return default;
    }

    private async ValueTask Continue(ValueTask pending, long current, long count, ExecutionFrame frame)
    {
        await pending;
        var slots = frame.Slots;
        for (var i = current + 1; i < count; i++)
        {
            slots[slot] = i;
            await body.Run(frame);
        }
    }
}

/// <summary>Runs one branch or the other.</summary>
internal sealed class IfStep(Conditional source, CompiledExpr condition, Step then, Step? otherwise) : Step(source)
{
    public override ValueTask Run(ExecutionFrame frame) =>
        condition.Evaluate(frame.Slots) != 0 ? then.Run(frame)
        : otherwise is null ? default
        : otherwise.Run(frame);
}

/// <summary>Binds a slot, then runs the body; the value is evaluated once, on entry.</summary>
internal sealed class LetStep(Let source, int slot, CompiledExpr value, Step body) : Step(source)
{
    public override ValueTask Run(ExecutionFrame frame)
    {
        frame.Slots[slot] = value.Evaluate(frame.Slots);
        return body.Run(frame);
    }
}

/// <summary>Nothing: an empty block.</summary>
internal sealed class EmptyStep(Stmt source) : SyncStep(source)
{
    public override void Execute(ExecutionFrame frame)
    {
    }
}
