using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>
/// A framework's dense tensor that a main-memory buffer reads where it lies (<see cref="MainMemory.Borrow{T}"/>): the
/// buffer's bytes are the tensor's elements in order, so a run holds no copy of an input it is given.
/// </summary>
internal abstract class BorrowedTensor
{
    /// <summary>The tensor's first byte, as a reference the garbage collector tracks (the tensor is not pinned).</summary>
    public abstract ref byte First { get; }

    /// <summary>The dense tensor <paramref name="tensor"/> borrowed.</summary>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> is not dense.</exception>
    public static BorrowedTensor Of<T>(Tensor<T> tensor) => new Dense<T>(tensor);

    private sealed class Dense<T> : BorrowedTensor
    {
        private readonly Tensor<T> _tensor;

        public Dense(Tensor<T> tensor)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            if (!tensor.IsDense)
            {
                throw new ArgumentException("The tensor is strided; only a dense tensor's elements lie in order where a buffer can read them.", nameof(tensor));
            }

            _tensor = tensor;
        }

        public override ref byte First => ref Unsafe.As<T, byte>(ref _tensor.GetPinnableReference());
    }
}
