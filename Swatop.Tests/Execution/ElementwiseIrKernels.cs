using System.Numerics;
using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>
/// An epilogue kernel written as IR text: every CPE gets its 64-element block of <c>x</c> (8 x 8,
/// column-major), a residual block and an 8-element bias, applies a bias per row, the residual, ReLU6,
/// a scale, a bias per column and a ReLU, and puts the block to <c>y</c>; its expected output comes from
/// <see cref="ElementwiseKernel.Reference{T}"/>, and the same operands run it on the emulator.
/// </summary>
internal static class ElementwiseIrKernels
{
    public const int Cpes = 64;
    public const int Block = 64;
    public const int Rows = 8;

    /// <summary>The kernel's IR text.</summary>
    public static string Text(ElementType type) => $$"""
        kernel epilogue {{(type == ElementType.Float32 ? "float32" : "float64")}}
        tensor x[{{Cpes * Block}}] in
        tensor res[{{Cpes * Block}}] in
        tensor bias[{{Rows}}] in
        tensor y[{{Cpes * Block}}] out
        buffer c[{{Block}}]
        buffer r[{{Block}}]
        buffer v[{{Rows}}]
        reply q
        body {
          let id = row * 8 + col {
            reset q
            get c[0 +: 64] <- x[id * 64] block 0 gap 0 reply q
            get r[0 +: 64] <- res[id * 64] block 0 gap 0 reply q
            get v[0 +: 8] <- bias[0] block 0 gap 0 reply q
            wait q
            eltwise c[0 +: 64] add v[0 +: 8] per row
            eltwise c[0 +: 64] add r[0 +: 64]
            eltwise c[0 +: 64] clamp -0.75, 6
            eltwise c[0 +: 64] mul 0.1
            eltwise c[0 +: 64] add v[0 +: 8] per column
            eltwise c[32 +: 32] max 0
            reset q
            put c[0 +: 64] -> y[id * 64] block 0 gap 0 reply q
            wait q
          }
        }
        """;

    /// <summary>The kernel.</summary>
    public static LoopKernel Kernel(ElementType type) => IrParser.ParseKernel(Text(type));

    /// <summary>Seeded operands: x, the residual, the bias.</summary>
    public static (double[] X, double[] Residual, double[] Bias) Operands(int seed)
    {
        var x = RandomDoubles(seed, Cpes * Block).Select(v => v * 8).ToArray();
        return (x, RandomDoubles(seed + 1, Cpes * Block).Select(v => v * 4).ToArray(), RandomDoubles(seed + 2, Rows));
    }

    /// <summary>What the kernel computes, by the element-wise reference, in <typeparamref name="T"/>.</summary>
    public static T[] Expected<T>(double[] x, double[] residual, double[] bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = x.Select(T.CreateTruncating).ToArray();
        var r = residual.Select(T.CreateTruncating).ToArray();
        var v = bias.Select(T.CreateTruncating).ToArray();
        for (var id = 0; id < Cpes; id++)
        {
            var block = y.AsSpan(id * Block, Block);
            ElementwiseKernel.Reference(ElementwiseOp.Add, block, ElementwiseInput.PerRow<T>(v));
            ElementwiseKernel.Reference(ElementwiseOp.Add, block, ElementwiseInput.Span<T>(r.AsSpan(id * Block, Block)));
            ElementwiseKernel.Reference(ElementwiseOp.Clamp, block, ElementwiseInput.Constant(T.CreateTruncating(-0.75)), ElementwiseInput.Constant(T.CreateTruncating(6.0)));
            ElementwiseKernel.Reference(ElementwiseOp.Multiply, block, ElementwiseInput.Constant(T.CreateTruncating(0.1)));
            ElementwiseKernel.Reference(ElementwiseOp.Add, block, ElementwiseInput.PerColumn<T>(v));
            ElementwiseKernel.Reference(ElementwiseOp.Maximum, block[32..], ElementwiseInput.Constant(T.Zero));
        }

        return y;
    }

    /// <summary>Runs the kernel on one core group of the emulator: its output, widened to double, and the group's report.</summary>
    public static (double[] Y, CoreGroupRunReport Report) Emulate(ElementType type, double[] x, double[] residual, double[] bias, EmulatorOptions? options = null)
    {
        var group = Group(options);
        GlobalBuffer Buffer(string name, double[] values) => Emulator.EmulatorHarness.Buffer(group, name, type, values);

        var tensors = new Dictionary<string, GlobalBuffer>
        {
            ["x"] = Buffer("x", x),
            ["res"] = Buffer("res", residual),
            ["bias"] = Buffer("bias", bias),
            ["y"] = Buffer("y", new double[Cpes * Block]),
        };
        var report = group.Run(CompiledKernel.Compile(Kernel(type)).Program(tensors));
        return (Widened(tensors["y"], type), report);
    }
}
