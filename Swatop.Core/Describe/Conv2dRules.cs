namespace Swatop.Core;

/// <summary>
/// The rules of a two-dimensional convolution's attributes, checked with the parameter names of
/// <see cref="Operator.Conv2d"/>. Each broken rule throws an
/// <see cref="OperatorDescriptionException"/> with its identifier.
/// </summary>
internal static class Conv2dRules
{
    /// <summary>Checks every rule and returns the output height and width.</summary>
    public static Size2 Check(
        int batch,
        int inChannels,
        int outChannels,
        int height,
        int width,
        Size2 kernel,
        Size2 stride,
        Padding2 padding,
        Size2 dilation,
        int groups,
        ConvLayout layout)
    {
        DescribeGuard.Size(batch, nameof(batch), "batch size");
        DescribeGuard.Size(inChannels, nameof(inChannels), "input channel count");
        DescribeGuard.Size(outChannels, nameof(outChannels), "output channel count");
        DescribeGuard.Size(height, nameof(height), "input height");
        DescribeGuard.Size(width, nameof(width), "input width");
        DescribeGuard.Size(kernel.Height, nameof(kernel), "kernel height", "kernel.Height");
        DescribeGuard.Size(kernel.Width, nameof(kernel), "kernel width", "kernel.Width");
        DescribeGuard.Defined(layout, nameof(layout));
        NotNegative(padding.Top, "padding.Top");
        NotNegative(padding.Bottom, "padding.Bottom");
        NotNegative(padding.Left, "padding.Left");
        NotNegative(padding.Right, "padding.Right");
        AtLeastOne(stride.Height, nameof(stride), "stride.Height", DescribeDiagnostics.StrideTooSmall, "a stride");
        AtLeastOne(stride.Width, nameof(stride), "stride.Width", DescribeDiagnostics.StrideTooSmall, "a stride");
        AtLeastOne(dilation.Height, nameof(dilation), "dilation.Height", DescribeDiagnostics.DilationTooSmall, "a dilation");
        AtLeastOne(dilation.Width, nameof(dilation), "dilation.Width", DescribeDiagnostics.DilationTooSmall, "a dilation");
        AtLeastOne(groups, nameof(groups), "groups", DescribeDiagnostics.GroupsTooSmall, "the number of groups");
        Divides(groups, inChannels, nameof(inChannels));
        Divides(groups, outChannels, nameof(outChannels));

        var outHeight = OutputExtent("Height", height, kernel.Height, dilation.Height, stride.Height, padding.Top, padding.Bottom, "Top", "Bottom");
        var outWidth = OutputExtent("Width", width, kernel.Width, dilation.Width, stride.Width, padding.Left, padding.Right, "Left", "Right");

        DescribeGuard.ElementCount(nameof(inChannels), "input", batch, inChannels, height, width);
        DescribeGuard.ElementCount(nameof(outChannels), "weights", outChannels, inChannels / groups, kernel.Height, kernel.Width);
        DescribeGuard.ElementCount(nameof(outChannels), "output", batch, outChannels, outHeight, outWidth);
        return new Size2(outHeight, outWidth);
    }

    /// <summary>The output extent along one direction, after the kernel and padding checks.</summary>
    private static int OutputExtent(
        string direction, int input, int kernel, int dilation, int stride, int before, int after, string beforeName, string afterName)
    {
        var dimension = direction.ToLowerInvariant();
        var span = ((long)dilation * (kernel - 1)) + 1;
        var padded = (long)input + before + after;
        var spanText = dilation == 1
            ? $"kernel.{direction} = {kernel}"
            : $"kernel.{direction} = {kernel} with dilation.{direction} = {dilation} (spanning {span})";
        if (span > padded)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.KernelLargerThanInput,
                nameof(kernel),
                $"{spanText} is larger than the padded input {dimension} {input} + {before} + {after} = {padded}: the output would be empty.");
        }

        var extent = ((padded - span) / stride) + 1;
        if (extent > int.MaxValue)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.TooLarge,
                dimension,
                $"the output {dimension} {extent} of input {dimension} = {input} exceeds int.MaxValue = {int.MaxValue}.");
        }

        return (int)extent;
    }

    private static void NotNegative(int value, string name)
    {
        if (value < 0)
        {
            DescribeGuard.Fail(DescribeDiagnostics.NegativePadding, "padding", $"{name} = {value} is negative: a padding must be at least 0.");
        }
    }

    private static void AtLeastOne(int value, string paramName, string name, string id, string what)
    {
        if (value < 1)
        {
            DescribeGuard.Fail(id, paramName, $"{name} = {value} is not valid: {what} must be at least 1.");
        }
    }

    private static void Divides(int groups, int channels, string paramName)
    {
        if (channels % groups != 0)
        {
            DescribeGuard.Fail(
                DescribeDiagnostics.GroupsDoNotDivideChannels,
                paramName,
                $"{paramName} = {channels} is not a multiple of groups = {groups}: the groups must divide the input and the output channels.");
        }
    }
}
