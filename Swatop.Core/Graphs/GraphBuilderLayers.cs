namespace Swatop.Core.Graphs;

/// <summary>The layers of the builder that are not operators: residual sums, poolings and the flattening.</summary>
public sealed partial class GraphBuilder
{
    /// <summary>The element-wise sum of two values of the same shape: the residual join of a ResNet block.</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="left">The first summand (the residual branch).</param>
    /// <param name="right">The second summand (the shortcut), of the same shape.</param>
    /// <returns>The sum, of that shape.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, a summand is not of this builder, or the shapes differ (the message names both values and their shapes).</exception>
    public GraphValue Add(string name, GraphValue left, GraphValue right)
    {
        NewName(name, nameof(name), "node");
        Own(left, nameof(left), $"Add '{name}'");
        Own(right, nameof(right), $"Add '{name}'");
        if (!left.Shape.SequenceEqual(right.Shape))
        {
            GraphRules.Fail(
                GraphDiagnostics.ShapeMismatch,
                nameof(right),
                $"Add '{name}': left = '{left.Name}' {left.ShapeText} and right = '{right.Name}' {right.ShapeText} differ in shape: "
                + "an addition sums two values of the same shape.");
        }

        return Append(new AddNode(name, left, right, Computed(name, left.Shape)));
    }

    /// <summary>
    /// A max pooling of an NCHW value, as torchvision's <c>MaxPool2d</c> (floor mode): output height
    /// <c>(H + 2 * padding.Height - kernel.Height) / stride.Height + 1</c>, the width likewise.
    /// </summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation, <c>[N][C][H][W]</c>.</param>
    /// <param name="kernel">The window; an integer means a square window.</param>
    /// <param name="stride">The step between windows; the kernel when omitted, as in PyTorch.</param>
    /// <param name="padding">The implicit padding above and below (<c>Height</c>), left and right (<c>Width</c>); none when omitted; at most half the kernel.</param>
    /// <returns>The pooled value, <c>[N][C][OH][OW]</c>.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, the input is not NCHW or not of this builder, or the kernel, stride or padding breaks a rule of <see cref="GraphDiagnostics.InvalidPooling"/>.</exception>
    public GraphValue MaxPool(string name, GraphValue input, Size2 kernel, Size2? stride = null, Size2? padding = null)
    {
        var (s, p, output) = Pooled("MaxPool", name, input, kernel, stride, padding);
        return Append(new MaxPoolNode(name, input, kernel, s, p, output));
    }

    /// <summary>
    /// Checks a pooling node's name, input, kernel, stride and padding (the stride the kernel's and the padding none when
    /// omitted) and makes its output, <c>[N][C][OH][OW]</c>.
    /// </summary>
    private (Size2 Stride, Size2 Padding, GraphValue Output) Pooled(string operation, string name, GraphValue input, Size2 kernel, Size2? stride, Size2? padding)
    {
        NewName(name, nameof(name), "node");
        Own(input, nameof(input), $"{operation} '{name}'");
        GraphRules.Rank(input, 4, name, operation, nameof(input), "[N][C][H][W]");
        var s = stride ?? kernel;
        var p = padding ?? new Size2(0, 0);
        var outHeight = PooledExtent(operation, name, input, "Height", input.Shape[2], kernel.Height, s.Height, p.Height);
        var outWidth = PooledExtent(operation, name, input, "Width", input.Shape[3], kernel.Width, s.Width, p.Width);
        return (s, p, Computed(name, [input.Shape[0], input.Shape[1], outHeight, outWidth]));
    }

    /// <summary>The mean of each channel over its height and width (torchvision's <c>AdaptiveAvgPool2d((1, 1))</c>).</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The activation, <c>[N][C][H][W]</c>.</param>
    /// <returns>The pooled value, <c>[N][C][1][1]</c>.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, or the input is not NCHW or not of this builder.</exception>
    public GraphValue GlobalAveragePool(string name, GraphValue input)
    {
        NewName(name, nameof(name), "node");
        Own(input, nameof(input), $"GlobalAveragePool '{name}'");
        GraphRules.Rank(input, 4, name, "GlobalAveragePool", nameof(input), "[N][C][H][W]");
        return Append(new GlobalAveragePoolNode(name, input, Computed(name, [input.Shape[0], input.Shape[1], 1, 1])));
    }

    /// <summary>Keeps the first dimension and joins the others (<c>torch.flatten(x, 1)</c>): <c>[N][C][1][1]</c> becomes <c>[N][C]</c>.</summary>
    /// <param name="name">The node's name, unique in the graph.</param>
    /// <param name="input">The value, of two or more dimensions.</param>
    /// <returns>The reshaped value, <c>[N][product of the others]</c>.</returns>
    /// <exception cref="GraphException">The name is not valid or taken, or the input is not of this builder or has one dimension.</exception>
    public GraphValue Flatten(string name, GraphValue input)
    {
        NewName(name, nameof(name), "node");
        Own(input, nameof(input), $"Flatten '{name}'");
        if (input.Rank < 2)
        {
            GraphRules.Fail(
                GraphDiagnostics.RankMismatch,
                nameof(input),
                GraphRules.Invariant($"Flatten '{name}': input = '{input.Name}' {input.ShapeText} has {input.Rank} dimension; Flatten keeps the first and joins the others, so it takes two or more."));
        }

        var features = (int)(input.ElementLength / input.Shape[0]);
        return Append(new FlattenNode(name, input, Computed(name, [input.Shape[0], features])));
    }

    /// <summary>The pooled extent along one direction, after the pooling rules.</summary>
    private static int PooledExtent(string operation, string name, GraphValue input, string direction, int extent, int kernel, int stride, int padding)
    {
        void Refuse(string parameter, string rule) =>
            GraphRules.Fail(
                GraphDiagnostics.InvalidPooling,
                parameter,
                GraphRules.Invariant($"{operation} '{name}' of '{input.Name}' {input.ShapeText}: {rule}"));

        if (kernel < 1)
        {
            Refuse("kernel", GraphRules.Invariant($"kernel.{direction} = {kernel} is not valid: a window is at least 1 wide."));
        }

        if (stride < 1)
        {
            Refuse("stride", GraphRules.Invariant($"stride.{direction} = {stride} is not valid: a stride is at least 1."));
        }

        if (padding < 0 || padding > kernel / 2)
        {
            Refuse("padding", GraphRules.Invariant(
                $"padding.{direction} = {padding} is not valid: a padding is at least 0 and at most half the kernel, {kernel} / 2 = {kernel / 2}, so that no window sees only padding."));
        }

        var padded = (long)extent + (2L * padding);
        if (kernel > padded)
        {
            Refuse("kernel", GraphRules.Invariant(
                $"kernel.{direction} = {kernel} is larger than the padded input {direction.ToLowerInvariant()} {extent} + 2 * {padding} = {padded}: the output would be empty."));
        }

        return (int)(((padded - kernel) / stride) + 1);
    }
}
