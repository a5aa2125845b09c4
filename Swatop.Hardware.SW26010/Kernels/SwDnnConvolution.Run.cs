using System.Globalization;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Kernels;

/// <summary>The host side of the swDNN convolution: placing the tensors, spawning, gathering.</summary>
public sealed partial record SwDnnConvolution
{
    /// <summary>
    /// Runs the convolution on the first <see cref="CoreGroups"/> core groups of
    /// <paramref name="chip"/>: the MPE of each group places its input rows and all the weights in
    /// the group's memory, each group's MPE spawns and joins the kernel <paramref name="spawns"/> times,
    /// the groups side by side (swDNN's measurement ran 100 such pairs on 4 host threads), and the MPEs gather the output rows.
    /// </summary>
    /// <param name="chip">The emulated chip; it needs at least <see cref="CoreGroups"/> core groups. The tensors stay in its memories.</param>
    /// <param name="input">The input tensor, <c>[Ri][Ci][Ni][B]</c>.</param>
    /// <param name="weights">The weights, <c>[Kr][Kc][No][Ni]</c>.</param>
    /// <param name="spawns">Spawn / join pairs to run; each recomputes the whole output.</param>
    /// <exception cref="ArgumentException">The chip, a tensor's length or the spawn count does not fit; the message names it.</exception>
    public SwDnnConvolutionRun Run(Sw26010Chip chip, ReadOnlyMemory<double> input, ReadOnlyMemory<double> weights, int spawns = 1)
    {
        RequireRun(chip, spawns);
        RequireLength(input.Length, Shape.InputLength, nameof(input), "Ri Ci Ni B");
        RequireLength(weights.Length, Shape.WeightLength, nameof(weights), "K K No Ni");
        if (Shape.OutputLength > Array.MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The output of {Shape} has {Shape.OutputLength} elements, more than a .NET array holds."), nameof(input));
        }

        var inputRowElements = Shape.InWidth * Shape.InChannels * Shape.Batch;
        var outputRowElements = Shape.OutWidth * Shape.OutChannels * Shape.Batch;
        var tensors = Allocate(chip);
        for (var g = 0; g < CoreGroups; g++)
        {
            var firstRow = g * RowsPerCoreGroup;
            var (groupInput, groupWeights, _) = tensors[g];
            chip.CoreGroups[g].Mpe.Run(string.Create(CultureInfo.InvariantCulture, $"swDNN: place input rows {firstRow}..{firstRow + InputRowsPerCoreGroup - 1} and the weights"), _ =>
            {
                input.Span.Slice(firstRow * inputRowElements, InputRowsPerCoreGroup * inputRowElements).CopyTo(groupInput.AsSpan<double>());
                weights.Span.CopyTo(groupWeights.AsSpan<double>());
            });
        }

        var report = Spawn(chip, tensors, spawns);
        var result = new double[Shape.OutputLength];
        for (var g = 0; g < CoreGroups; g++)
        {
            var firstRow = g * RowsPerCoreGroup;
            var groupOutput = tensors[g].Output;
            chip.CoreGroups[g].Mpe.Run(string.Create(CultureInfo.InvariantCulture, $"swDNN: gather output rows {firstRow}..{firstRow + RowsPerCoreGroup - 1}"), _ =>
                groupOutput.AsSpan<double>().CopyTo(result.AsSpan(firstRow * outputRowElements, RowsPerCoreGroup * outputRowElements)));
        }

        return new SwDnnConvolutionRun(result, report);
    }

    /// <summary>
    /// Runs the kernel <paramref name="spawns"/> times on each group without placing data: the tensors
    /// stay as allocated (zeros). On a timing-only chip this measures the kernel's simulated time
    /// without touching host memory for its tensors; it is how the calibration runs.
    /// </summary>
    /// <exception cref="ArgumentException">The chip has too few core groups or the spawn count is below 1.</exception>
    public ChipRunReport Measure(Sw26010Chip chip, int spawns = 1)
    {
        RequireRun(chip, spawns);
        return Spawn(chip, Allocate(chip), spawns);
    }

    private ChipRunReport Spawn(Sw26010Chip chip, (GlobalBuffer Input, GlobalBuffer Weights, GlobalBuffer Output)[] tensors, int spawns) =>
        chip.Run(group => Program(tensors[group.Index].Input, tensors[group.Index].Weights, tensors[group.Index].Output), CoreGroups, spawns);

    /// <summary>Each group's input rows, weights and output rows in its own memory (zeroed, allocated lazily).</summary>
    private (GlobalBuffer Input, GlobalBuffer Weights, GlobalBuffer Output)[] Allocate(Sw26010Chip chip)
    {
        var inputRowElements = Shape.InWidth * Shape.InChannels * Shape.Batch;
        var outputRowElements = Shape.OutWidth * Shape.OutChannels * Shape.Batch;
        return [.. chip.CoreGroups.Take(CoreGroups).Select(group => (
            group.Memory.Allocate<double>("swdnn input", InputRowsPerCoreGroup * inputRowElements),
            group.Memory.Allocate<double>("swdnn weights", (int)Shape.WeightLength),
            group.Memory.Allocate<double>("swdnn output", RowsPerCoreGroup * outputRowElements)))];
    }

    /// <summary>The checks every run shares: a chip with enough core groups, at least one spawn.</summary>
    private void RequireRun(Sw26010Chip chip, int spawns)
    {
        ArgumentNullException.ThrowIfNull(chip);
        if (chip.CoreGroups.Count < CoreGroups)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The chip has {chip.CoreGroups.Count} core groups; the kernel was planned for {CoreGroups}."), nameof(chip));
        }

        if (spawns < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(spawns), spawns, "spawns must be at least 1.");
        }
    }

    private static void RequireLength(int actual, long expected, string name, string formula)
    {
        if (actual != expected)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{name} has {actual} elements; the shape needs {formula} = {expected}."), name);
        }
    }
}
