using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A CPE program's run that its CPE parks while it waits and the scheduler resumes with one virtual
/// call: a method built by <see cref="CpeProgramBuilder"/>, or a compiled kernel's code
/// (<see cref="Execution.CodeRun"/>). It is also the source of the program's <see cref="ValueTask"/>.
/// </summary>
internal abstract class CpeProgramRun : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _completion;
    private Action? _resumeAction;

    /// <summary>A run whose completion is signalled on the thread that completes it.</summary>
    protected CpeProgramRun() => _completion.RunContinuationsAsynchronously = false;

    /// <summary>The token of the method's <see cref="ValueTask"/>.</summary>
    internal short Version => _completion.Version;

    /// <summary><see cref="Resume"/> as a delegate, for awaiters that take one.</summary>
    internal Action ResumeAction => _resumeAction ??= Resume;

    /// <summary>Runs the method on from where it suspended.</summary>
    internal abstract void Resume();

    internal void SetResult() => _completion.SetResult(true);

    internal void SetException(Exception exception) => _completion.SetException(exception);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);
}

/// <summary>A suspended call of one method: its compiler-generated state machine, boxed.</summary>
/// <typeparam name="TStateMachine">The method's state machine.</typeparam>
internal sealed class CpeProgramRun<TStateMachine> : CpeProgramRun
    where TStateMachine : IAsyncStateMachine
{
#pragma warning disable SA1401, CA1051 // the state machine runs in place, by reference
    internal TStateMachine StateMachine = default!;
#pragma warning restore SA1401, CA1051

    /// <inheritdoc />
    internal override void Resume() => StateMachine.MoveNext();
}
