using System.Globalization;
using System.Runtime.CompilerServices;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>The CPE program of the swDNN convolution: the loop nest every CPE of a core group runs.</summary>
public sealed partial record SwDnnConvolution
{
    /// <summary>
    /// The CPE program of one core group over its own tensors: <paramref name="input"/> holds the
    /// group's <see cref="InputRowsPerCoreGroup"/> input rows (<c>[rows][Ci][Ni][B]</c>),
    /// <paramref name="weights"/> all the weights, <paramref name="output"/> receives the group's
    /// <see cref="RowsPerCoreGroup"/> output rows (<c>[rows][Co][No][B]</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is smaller than its tensor.</exception>
    public CpeProgram Program(GlobalBuffer input, GlobalBuffer weights, GlobalBuffer output)
    {
        RequireSize(input, (long)InputRowsPerCoreGroup * Shape.InWidth * Shape.InChannels * Shape.Batch, nameof(input));
        RequireSize(weights, Shape.WeightLength, nameof(weights));
        RequireSize(output, (long)RowsPerCoreGroup * Shape.OutWidth * Shape.OutChannels * Shape.Batch, nameof(output));
        return cpe => Execute(Emulated(cpe), input, weights, output);
    }

    /// <summary>The emulator's CPE behind <paramref name="cpe"/>: the program awaits its operations without task machinery.</summary>
    private static Cpe Emulated(ICpe cpe) =>
        cpe as Cpe ?? throw new ArgumentException($"The swDNN program runs on the emulator's CPEs, not on a {cpe.GetType().Name}.", nameof(cpe));

    [AsyncMethodBuilder(typeof(CpeProgramBuilder))]
    private async ValueTask Execute(Cpe cpe, GlobalBuffer input, GlobalBuffer weights, GlobalBuffer output)
    {
        int kernel = Shape.Kernel, batch = Shape.Batch, inChannels = Shape.InChannels, outChannels = Shape.OutChannels;
        int weightBlock = WeightBlock, outputBlock = OutputBlock;
        int row = cpe.Id.Row, column = cpe.Id.Column;
        var inputs = new BufferPair(Allocate(cpe, "input0", InputBlock), Allocate(cpe, "input1", InputBlock));
        var weightRows = new BufferPair(Allocate(cpe, "weights0", kernel * weightBlock), Allocate(cpe, "weights1", kernel * weightBlock));
        var outputs = Allocate(cpe, "output", CoStride * outputBlock);
        var inputReply = cpe.CreateReplyWord("input");
        var weightReply = cpe.CreateReplyWord("weights");
        var outputReply = cpe.CreateReplyWord("output");

        // CPE (r, c)'s input block: images r*B/8.. of channels c*Ni/8..; Ni/8 runs of B/8 doubles,
        // B apart, land column-major with leading dimension B/8: the mesh GEMM's A[r][c].
        void GetInput(int inputRow, int inputColumn, LdmBuffer destination)
        {
            var start = ((((long)inputRow * Shape.InWidth) + inputColumn) * inChannels + (column * (inChannels / Mesh))) * batch + (row * (batch / Mesh));
            inputReply.Reset();
            cpe.DmaGet(destination.All, input.At(start * sizeof(double)), inputReply, batch / Mesh * sizeof(double), (batch - (batch / Mesh)) * sizeof(double));
        }

        // The weight block of each kernel column: input channels r*Ni/8.., output channels
        // c*No/8..; No/8 runs of Ni/8 doubles, Ni apart: the mesh GEMM's B[r][c], Ni contiguous.
        void GetWeights(int kernelRow, LdmBuffer destination)
        {
            weightReply.Reset();
            for (var kc = 0; kc < kernel; kc++)
            {
                var start = ((((long)kernelRow * kernel) + kc) * outChannels + (column * (outChannels / Mesh))) * inChannels + (row * (inChannels / Mesh));
                cpe.DmaGet(destination.Slice(kc * weightBlock, weightBlock), weights.At(start * sizeof(double)), weightReply,
                    inChannels / Mesh * sizeof(double), (inChannels - (inChannels / Mesh)) * sizeof(double));
            }
        }

        // The output block of one output column goes back like the input came: No/8 runs of B/8.
        void PutOutput(int outputRow, int outputColumn, LdmSpan source)
        {
            var start = ((((long)outputRow * Shape.OutWidth) + outputColumn) * outChannels + (column * (outChannels / Mesh))) * batch + (row * (batch / Mesh));
            outputReply.Reset();
            cpe.DmaPut(source, output.At(start * sizeof(double)), outputReply, batch / Mesh * sizeof(double), (batch - (batch / Mesh)) * sizeof(double));
        }

        // Prologue: the first kernel row's weights and the first input column.
        int inputTurn = 0, weightTurn = 0;
        GetWeights(0, weightRows[0]);
        GetInput(0, 0, inputs[0]);
        await cpe.DmaWaitCore(weightReply, kernel);
        await cpe.DmaWaitCore(inputReply, 1);

        for (var bandStart = 0; bandStart < Shape.OutWidth; bandStart += CoStride)
        {
            var width = Math.Min(CoStride, Shape.OutWidth - bandStart);
            var inputColumns = width + kernel - 1;
            for (var ro = 0; ro < RowsPerCoreGroup; ro++)
            {
                cpe.Fill(outputs.Slice(0, width * outputBlock), 0.0);
                for (var kr = 0; kr < kernel; kr++)
                {
                    var following = Following(bandStart, ro, kr);
                    if (following is { } next)
                    {
                        GetWeights(next.KernelRow, weightRows[1 - weightTurn]);
                    }

                    for (var i = 0; i < inputColumns; i++)
                    {
                        // The next input column in loop order: the following one of this row, or the
                        // band's first column in the following kernel row.
                        var hasNext = i + 1 < inputColumns || following is not null;
                        if (i + 1 < inputColumns)
                        {
                            GetInput(ro + kr, bandStart + i + 1, inputs[1 - inputTurn]);
                        }
                        else if (following is { } nextRow)
                        {
                            GetInput(nextRow.OutputRow + nextRow.KernelRow, nextRow.BandStart, inputs[1 - inputTurn]);
                        }

                        for (var kc = 0; kc < kernel; kc++)
                        {
                            var co = i - kc;
                            if (co >= 0 && co < width)
                            {
                                await cpe.MeshGemmCore(batch, outChannels, inChannels, inputs[inputTurn].All,
                                    weightRows[weightTurn].Slice(kc * weightBlock, weightBlock), outputs.Slice(co * outputBlock, outputBlock));
                            }
                        }

                        if (hasNext)
                        {
                            await cpe.DmaWaitCore(inputReply, 1);
                            inputTurn = 1 - inputTurn;
                        }
                    }

                    if (following is not null)
                    {
                        await cpe.DmaWaitCore(weightReply, kernel);
                        weightTurn = 1 - weightTurn;
                    }
                }

                for (var co = 0; co < width; co++)
                {
                    PutOutput(ro, bandStart + co, outputs.Slice(co * outputBlock, outputBlock));
                    await cpe.DmaWaitCore(outputReply, 1);
                }
            }
        }
    }

    /// <summary>The kernel-row step after (band, output row, kernel row) in loop order, or null after the last.</summary>
    private RowStep? Following(int bandStart, int outputRow, int kernelRow) =>
        kernelRow + 1 < Shape.Kernel ? new RowStep(bandStart, outputRow, kernelRow + 1)
        : outputRow + 1 < RowsPerCoreGroup ? new RowStep(bandStart, outputRow + 1, 0)
        : bandStart + CoStride < Shape.OutWidth ? new RowStep(bandStart + CoStride, 0, 0)
        : null;

    private static LdmBuffer Allocate(Cpe cpe, string name, int count) => cpe.Ldm.Allocate(name, ElementType.Float64, count);

    private static void RequireSize(GlobalBuffer buffer, long elements, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer.ByteLength < elements * sizeof(double))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Buffer '{buffer.Name}' has {buffer.ByteLength} bytes; the tensor needs {elements} doubles ({elements * sizeof(double)} bytes)."), name);
        }
    }

    /// <summary>A double buffer: the two halves, by turn (0 or 1).</summary>
    private readonly record struct BufferPair(LdmBuffer First, LdmBuffer Second)
    {
        public LdmBuffer this[int turn] => turn == 0 ? First : Second;
    }

    /// <summary>One kernel row of one output row of one band: the unit the weights are fetched for.</summary>
    private readonly record struct RowStep(int BandStart, int OutputRow, int KernelRow);
}
