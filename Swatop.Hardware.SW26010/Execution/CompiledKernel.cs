using System.Globalization;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// A loop-IR kernel compiled once for the emulator: the loop nest flattened into instructions with
/// jumps, every variable resolved to a slot, every name to an index, every expression to a small
/// evaluator tree. <see cref="Program"/> then makes the
/// <see cref="CpeProgram"/> of one core group from the tensors in that group's memory, as often as
/// needed; running it allocates nothing per executed statement once the CPEs are started, and a
/// CPE continues asynchronously only once the emulator really suspends it.
/// </summary>
/// <remarks>
/// The executor spends no simulated cycles of its own: loop control and address arithmetic are
/// free, as in the hand-written kernels; only the emulator's operations (DMA, waits, the
/// primitives) take time. On every CPE a run allocates the buffers in declaration order (a double
/// buffer as one allocation of both halves), creates the reply words, sets the built-ins
/// <c>row</c>, <c>col</c> and <c>cg</c> and the turn bits (0), then runs the body.
/// </remarks>
public sealed class CompiledKernel
{
    private readonly CompiledCode _code;

    private CompiledKernel(LoopKernel kernel, CompiledCode code)
    {
        Kernel = kernel;
        _code = code;
    }

    /// <summary>The kernel this was compiled from.</summary>
    public LoopKernel Kernel { get; }

    /// <summary>Compiles <paramref name="kernel"/> for the emulator.</summary>
    /// <exception cref="ExecutionException">
    /// SWX0001 when a tile transfer is left (run the boundary pass first), SWX0002 for an unbound
    /// variable, SWX0003 to SWX0005 for an undeclared buffer, tensor or reply word, SWX0006 for the
    /// next half or a swap of a single buffer, SWX0007 for a bad declaration, SWX0012 for an
    /// element-wise statement with the wrong operands.
    /// </exception>
    public static CompiledKernel Compile(LoopKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return new CompiledKernel(kernel, KernelCompiler.Compile(kernel));
    }

    /// <summary>
    /// The CPE program of one core group over <paramref name="tensors"/>, one main-memory buffer
    /// of that group for each of the kernel's tensors, by name.
    /// </summary>
    /// <exception cref="ExecutionException">
    /// SWX0008 when a kernel tensor is missing or a name is not the kernel's; SWX0009 when a buffer
    /// is smaller than its tensor or the buffers lie in different core groups' memories (the shared memory goes with any).
    /// </exception>
    public CpeProgram Program(IReadOnlyDictionary<string, GlobalBuffer> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var bound = Bind(tensors);
        // One memo per core group that runs the program: a group's CPEs run on one host thread, different groups may not.
        var memos = new System.Collections.Concurrent.ConcurrentDictionary<CoreGroup, ComputeRegionMemo>();
        return cpe =>
        {
            var own = cpe as Cpe ?? throw new ArgumentException($"A compiled kernel runs on the emulator's CPEs, not on a {cpe.GetType().Name}.", nameof(cpe));
            return Execute(own, bound, _code.Regions > 0 && own.ReplaysComputeRegions ? memos.GetOrAdd(own.Group, _ => new ComputeRegionMemo(_code.Regions)) : null);
        };
    }

    private ValueTask Execute(Cpe cpe, GlobalBuffer[] tensors, ComputeRegionMemo? memo)
    {
        var kernel = Kernel;
        var frame = new ExecutionFrame(kernel.Name, cpe, _code.Slots, kernel.Buffers.Length, kernel.Replies.Length, tensors);
        for (var i = 0; i < kernel.Buffers.Length; i++)
        {
            var buffer = kernel.Buffers[i];
            frame.Buffers[i] = cpe.Ldm.Allocate(buffer.Name, kernel.ElementType, (int)(buffer.Elements * buffer.Copies));
        }

        CheckPlan(frame);
        if (memo is not null && memo.Admits([.. frame.Buffers.Select(b => (long)b.ByteOffset)]))
        {
            frame.Memo = memo;
        }

        for (var i = 0; i < kernel.Replies.Length; i++)
        {
            frame.Replies[i] = cpe.CreateReplyWord(kernel.Replies[i]);
        }

        return _code.Run(frame);
    }

    /// <summary>Placed buffers must sit where the emulator put them: the plan and the machine must agree.</summary>
    private void CheckPlan(ExecutionFrame frame)
    {
        List<string>? differences = null;
        for (var i = 0; i < Kernel.Buffers.Length; i++)
        {
            var planned = Kernel.Buffers[i];
            var actual = frame.Buffers[i].ByteOffset;
            if (planned.IsPlaced && planned.Offset != actual)
            {
                (differences ??= []).Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{planned.Name}' ({planned.Elements * planned.Copies * Kernel.ElementBytes} bytes) is planned at byte {planned.Offset} but allocated at byte {actual}"));
            }
        }

        if (differences is not null)
        {
            throw new ExecutionException(ExecutionDiagnostics.LdmPlanMismatch,
                $"Kernel '{Kernel.Name}' on {frame.Cpe.Id}: the LDM plan and the emulator disagree: {string.Join("; ", differences)}. The emulator allocates the buffers in declaration order, first fit, 32-byte aligned.");
        }
    }

    private GlobalBuffer[] Bind(IReadOnlyDictionary<string, GlobalBuffer> tensors)
    {
        var missing = Kernel.Tensors.Where(t => !tensors.ContainsKey(t.Name)).Select(t => $"'{t.Name}'").ToList();
        var unknown = tensors.Keys.Where(name => !Kernel.Tensors.Any(t => t.Name == name)).Select(name => $"'{name}'").ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0)
            {
                problems.Add($"no buffer is given for tensor {string.Join(", ", missing)}");
            }

            if (unknown.Count > 0)
            {
                problems.Add($"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is" : "are")} not a tensor of the kernel");
            }

            throw new ExecutionException(ExecutionDiagnostics.TensorBinding,
                $"Kernel '{Kernel.Name}': {string.Join("; ", problems)}; the kernel's tensors are {string.Join(", ", Kernel.Tensors.Select(t => $"'{t.Name}'"))}.");
        }

        var bound = new GlobalBuffer[Kernel.Tensors.Length];
        for (var i = 0; i < bound.Length; i++)
        {
            var tensor = Kernel.Tensors[i];
            var buffer = tensors[tensor.Name] ?? throw new ArgumentException($"The buffer for tensor '{tensor.Name}' is null.", nameof(tensors));
            var bytes = tensor.Elements * Kernel.ElementBytes;
            if (buffer.ByteLength < bytes)
            {
                throw new ExecutionException(ExecutionDiagnostics.TensorStorage, string.Create(CultureInfo.InvariantCulture,
                    $"Kernel '{Kernel.Name}': tensor '{tensor.Name}' needs {tensor.Elements} {Kernel.ElementType} elements ({bytes} bytes), but main-memory buffer '{buffer.Name}' has {buffer.ByteLength} bytes."));
            }

            bound[i] = buffer;
        }

        var own = bound.Where(b => !b.IsShared).Select(b => b.CoreGroup).Distinct().ToList();
        if (own.Count > 1)
        {
            var names = bound.Select((b, i) => $"tensor '{Kernel.Tensors[i].Name}' in {(b.IsShared ? "the shared memory" : $"CG {b.CoreGroup}")}");
            throw new ExecutionException(ExecutionDiagnostics.TensorStorage,
                $"Kernel '{Kernel.Name}': its tensors are bound to buffers of several core groups' memories ({string.Join(", ", names)}); a core group's kernel reaches only its own memory and the shared memory.");
        }

        return bound;
    }
}
