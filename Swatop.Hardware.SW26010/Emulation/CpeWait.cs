using System.Runtime.CompilerServices;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A CPE operation that may have to wait, as the emulator's own programs await it: either done at
/// once or a suspension of its CPE. Awaiting it costs no task machinery; a method built by
/// <see cref="CpeProgramBuilder"/> parks its state on the CPE, and any other awaiter's continuation
/// is parked as a delegate. <see cref="ICpe"/> hands the same operations out as a
/// <see cref="ValueTask"/> (<see cref="AsValueTask"/>).
/// </summary>
internal readonly struct CpeWait
{
    private readonly Cpe? _cpe;

    /// <summary>A suspension of <paramref name="cpe"/>, which a wake-up ends.</summary>
    internal CpeWait(Cpe cpe) => _cpe = cpe;

    /// <summary>The operation as <see cref="ICpe"/> returns it.</summary>
    internal ValueTask AsValueTask() => _cpe is null ? default : _cpe.PendingTask();

    /// <summary>The awaiter of the operation.</summary>
    public Awaiter GetAwaiter() => new(_cpe);

    /// <summary>Awaits a <see cref="CpeWait"/>.</summary>
    internal readonly struct Awaiter : ICriticalNotifyCompletion
    {
        internal Awaiter(Cpe? cpe) => Cpe = cpe;

        /// <summary>The suspended CPE; null when the operation was done at once.</summary>
        internal Cpe? Cpe { get; }

        /// <summary>Whether the operation is done: at once, or woken already.</summary>
        public bool IsCompleted
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => Cpe is null || Cpe.IsResumed;
        }

        /// <summary>Ends the wait.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void GetResult() => Cpe?.EndWait();

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => Cpe!.Park(continuation);
    }
}
