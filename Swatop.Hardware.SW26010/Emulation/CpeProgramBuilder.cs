using System.Runtime.CompilerServices;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// The async method builder of the emulator's own CPE programs (<c>[AsyncMethodBuilder(typeof(CpeProgramBuilder))]</c>
/// on an <c>async ValueTask</c> method): when the method awaits a <see cref="CpeWait"/>, its state
/// machine is parked on the CPE itself and the scheduler resumes it with one virtual call, instead
/// of through the runtime's continuation delegates, execution-context capture and task-status
/// checks. Anything else the method awaits takes the general path of its awaiter.
/// </summary>
internal struct CpeProgramBuilder
{
    private CpeProgramRun? _run;
    private Exception? _exception;

    /// <summary>The method's result: completed when it ran to its end without suspending, otherwise backed by its parked state.</summary>
    public readonly ValueTask Task =>
        _run is { } run ? new ValueTask(run, run.Version)
        : _exception is { } exception ? ValueTask.FromException(exception)
        : default;

    /// <summary>A builder for a new call.</summary>
    public static CpeProgramBuilder Create() => default;

#pragma warning disable CA1822 // the compiler calls the builder's members on the instance
    /// <summary>Runs the method until it first suspends or ends; the CPE scheduler's thread has no context to save.</summary>
    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine =>
        stateMachine.MoveNext();

    /// <summary>Not used: the state machine is boxed by <see cref="AwaitUnsafeOnCompleted"/>.</summary>
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }
#pragma warning restore CA1822

    /// <summary>The method ended.</summary>
    public readonly void SetResult() => _run?.SetResult();

    /// <summary>The method threw.</summary>
    public void SetException(Exception exception)
    {
        if (_run is { } run)
        {
            run.SetException(exception);
        }
        else
        {
            _exception = exception;
        }
    }

    /// <summary>Suspends the method on an awaiter that is not critical: the general path.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(Box(ref stateMachine).ResumeAction);

    /// <summary>Suspends the method: parked on its CPE when it awaits a CPE operation, through the awaiter otherwise.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        var run = Box(ref stateMachine);
        if (typeof(TAwaiter) == typeof(CpeWait.Awaiter))
        {
            Unsafe.As<TAwaiter, CpeWait.Awaiter>(ref awaiter).Cpe!.Park(run);
            return;
        }

        awaiter.UnsafeOnCompleted(run.ResumeAction);
    }

    /// <summary>The method's state on the heap, made at its first suspension.</summary>
    private CpeProgramRun Box<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (_run is { } run)
        {
            return run;
        }

        var boxed = new CpeProgramRun<TStateMachine>();

        // The copy taken below must already name its box: it is the one that runs from now on.
        _run = boxed;
        boxed.StateMachine = stateMachine;
        return boxed;
    }
}
