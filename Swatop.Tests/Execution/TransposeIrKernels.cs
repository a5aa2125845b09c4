using Swatop.Core.Ir;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Execution;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Execution;

/// <summary>
/// A layout-step kernel written as IR text: the 64 CPEs transpose a column-major 96 x 80 matrix
/// <c>x</c> into the 80 x 96 matrix <c>y</c>. CPE (row, col) gets its 12 x 10 tile of <c>x</c> with a
/// strided DMA, transposes it in LDM (both extents no multiple of the 4 x 4 blocks) and puts the 10 x 12
/// result where the tile lands in <c>y</c>; the expected output is the naive transpose of the whole matrix.
/// </summary>
internal static class TransposeIrKernels
{
    public const int TileRows = 12;
    public const int TileColumns = 10;
    public const int Rows = 8 * TileRows;
    public const int Columns = 8 * TileColumns;
    public const int TileElements = TileRows * TileColumns;

    /// <summary>The kernel's IR text.</summary>
    public static string Text(ElementType type) => $$"""
        kernel transpose_x {{(type == ElementType.Float32 ? "float32" : "float64")}}
        tensor x[{{Rows * Columns}}] in
        tensor y[{{Rows * Columns}}] out
        buffer a[{{TileElements}}]
        buffer b[{{TileElements}}]
        reply q
        body {
          reset q
          get a[0 +: {{TileElements}}] <- x[row * {{TileRows}} + col * {{TileColumns * Rows}}] block {{TileRows}} gap {{Rows - TileRows}} reply q
          wait q
          transpose b[0 +: {{TileElements}}] <- a[0 +: {{TileElements}}] rows {{TileRows}} cols {{TileColumns}}
          reset q
          put b[0 +: {{TileElements}}] -> y[col * {{TileColumns}} + row * {{TileRows * Columns}}] block {{TileColumns}} gap {{Columns - TileColumns}} reply q
          wait q
        }
        """;

    /// <summary>The kernel.</summary>
    public static LoopKernel Kernel(ElementType type) => IrParser.ParseKernel(Text(type));

    /// <summary>A seeded matrix, special values among its elements.</summary>
    public static double[] Input(int seed)
    {
        var x = RandomDoubles(seed, Rows * Columns);
        x[5] = -0.0;
        x[77] = double.PositiveInfinity;
        x[1000] = 1e-310;
        return x;
    }

    /// <summary>The naive transpose of the whole matrix, in <typeparamref name="T"/>.</summary>
    public static T[] Expected<T>(T[] x)
    {
        var y = new T[x.Length];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                y[j + (i * Columns)] = x[i + (j * Rows)];
            }
        }

        return y;
    }

    /// <summary>Runs the kernel on one core group of the emulator: its output, widened to double, and the group's report.</summary>
    public static (double[] Y, CoreGroupRunReport Report) Emulate(ElementType type, double[] x, EmulatorOptions? options = null)
    {
        var group = Group(options);
        GlobalBuffer Buffer(string name, double[] values) => Emulator.EmulatorHarness.Buffer(group, name, type, values);

        var tensors = new Dictionary<string, GlobalBuffer>
        {
            ["x"] = Buffer("x", x),
            ["y"] = Buffer("y", new double[Rows * Columns]),
        };
        var report = group.Run(CompiledKernel.Compile(Kernel(type)).Program(tensors));
        return (Widened(tensors["y"], type), report);
    }
}
