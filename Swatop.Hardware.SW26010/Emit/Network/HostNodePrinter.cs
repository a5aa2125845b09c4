using System.Globalization;
using Swatop.Core;
using Swatop.Core.Graphs;

namespace Swatop.Hardware.Sw26010.Emit.Network;

/// <summary>
/// A node that is not an operator as a plain C function on the MPE, computing what the emulator's host path computes
/// (the graph reference's semantics, <c>NodeReference</c>) on flat row-major arrays in the framework's layout: a sum, a
/// bias, a scale and a clamp in the element type (one rounding each), a max pooling by comparisons, an average pooling
/// and a global average pooling summed in double in row-major order and rounded once, a softmax in double (its
/// exponentials computed twice rather than kept, the same values), a flattening, a reshape and a concatenation as
/// copies. The function takes the node's distinct inputs in order (<see cref="GraphNode.Inputs"/>), then its output; C89.
/// </summary>
internal sealed class HostNodePrinter : IGraphNodeVisitor<bool>
{
    private readonly CSourceBuilder _c;
    private readonly string _type;
    private readonly Dictionary<string, string> _parameters;

    private HostNodePrinter(CSourceBuilder c, string type, Dictionary<string, string> parameters)
    {
        _c = c;
        _type = type;
        _parameters = parameters;
    }

    /// <summary>The parameters' names of <paramref name="node"/>'s inputs, by value name: <c>x0</c>, <c>x1</c>... in order.</summary>
    public static IReadOnlyList<GraphValue> Inputs(GraphNode node) => [.. node.Inputs.Distinct()];

    /// <summary>Appends the function <paramref name="function"/> of <paramref name="node"/> to <paramref name="c"/>.</summary>
    public static void Print(CSourceBuilder c, GraphNode node, string function, string type)
    {
        var inputs = Inputs(node);
        var parameters = inputs.Select((v, i) => (v.Name, Parameter: string.Create(CultureInfo.InvariantCulture, $"x{i}")))
            .ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        c.Line($"/* {Comment(node.ToString())} */");
        c.Open($"static void {function}({string.Concat(inputs.Select(v => $"const {type} *{parameters[v.Name]}, "))}{type} *out)");
        node.Accept(new HostNodePrinter(c, type, parameters));
        c.Close();
        c.Line();
    }

    /// <summary>Text safe inside a C comment.</summary>
    public static string Comment(string text) => text.Replace("*/", "* /", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <inheritdoc />
    public bool Visit(OperatorNode node) => throw new ArgumentException($"Node '{node.Name}' is an operator: its kernel runs on the CPEs, not on the host.", nameof(node));

    /// <inheritdoc />
    public bool Visit(AddNode node)
    {
        Loop(node.Output.ElementLength, $"out[i] = {X(node.Left)}[i] + {X(node.Right)}[i];");
        return true;
    }

    /// <inheritdoc />
    public bool Visit(MaxPoolNode node)
    {
        Pool(node.Input, node.Output, node.Kernel, node.Stride, node.Padding, () =>
        {
            _c.Line($"{_type} m = in[h0 * W + w0];");
            _c.Open("for (h = h0; h < h1; h++)");
            _c.Open("for (w = w0; w < w1; w++)");
            _c.Line($"const {_type} x = in[h * W + w];");
            _c.Line("m = x > m ? x : m;");
            _c.Close();
            _c.Close();
            _c.Line("*out++ = m;");
        });
        return true;
    }

    /// <inheritdoc />
    public bool Visit(GlobalAveragePoolNode node)
    {
        var (planes, height, width) = Planes(node.Input);
        var size = L((long)height * width);
        _c.Line("long plane, i;");
        _c.Open($"for (plane = 0; plane < {L(planes)}; plane++)");
        _c.Line("double sum = 0.0;");
        _c.Line($"for (i = 0; i < {size}; i++) sum += (double){X(node.Input)}[plane * {size} + i];");
        _c.Line($"out[plane] = ({_type})(sum / (double){size});");
        _c.Close();
        return true;
    }

    /// <inheritdoc />
    public bool Visit(FlattenNode node) => Copy(node.Input, node.Output);

    /// <inheritdoc />
    public bool Visit(BiasAddNode node) => PerChannel(node.Input, node.Bias, "+");

    /// <inheritdoc />
    public bool Visit(ChannelScaleNode node) => PerChannel(node.Input, node.Scale, "*");

    /// <inheritdoc />
    public bool Visit(ClipNode node)
    {
        _c.Line("long i;");
        _c.Open($"for (i = 0; i < {L(node.Output.ElementLength)}; i++)");
        _c.Line($"{_type} x = {X(node.Input)}[i];");
        if (!double.IsNegativeInfinity(node.Min))
        {
            _c.Line($"x = x < ({_type}){Literal(node.Min)} ? ({_type}){Literal(node.Min)} : x;");
        }

        if (!double.IsPositiveInfinity(node.Max))
        {
            _c.Line($"x = x > ({_type}){Literal(node.Max)} ? ({_type}){Literal(node.Max)} : x;");
        }

        _c.Line("out[i] = x;");
        _c.Close();
        return true;
    }

    /// <inheritdoc />
    public bool Visit(AveragePoolNode node)
    {
        Pool(node.Input, node.Output, node.Kernel, node.Stride, node.Padding, () =>
        {
            _c.Line("double sum = 0.0;");
            _c.Line("long count;");
            _c.Open("for (h = h0; h < h1; h++)");
            _c.Line("for (w = w0; w < w1; w++) sum += (double)in[h * W + w];");
            _c.Close();
            if (node.CountIncludePad)
            {
                _c.Line(string.Create(CultureInfo.InvariantCulture,
                    $"count = ((top + {node.Kernel.Height} < H + {node.Padding.Height} ? top + {node.Kernel.Height} : H + {node.Padding.Height}) - top) * ((left + {node.Kernel.Width} < W + {node.Padding.Width} ? left + {node.Kernel.Width} : W + {node.Padding.Width}) - left);"));
            }
            else
            {
                _c.Line("count = (h1 - h0) * (w1 - w0);");
            }

            _c.Line($"*out++ = ({_type})(sum / (double)count);");
        });
        return true;
    }

    /// <inheritdoc />
    public bool Visit(ConcatNode node)
    {
        var shape = node.Output.Shape;
        var outer = shape.Take(node.Axis).Aggregate(1L, (p, s) => p * s);
        var inner = shape.Skip(node.Axis + 1).Aggregate(1L, (p, s) => p * s);
        _c.Line("long o;");
        var offset = 0L;
        foreach (var part in node.Parts)
        {
            var block = part.Shape[node.Axis] * inner;
            _c.Line($"for (o = 0; o < {L(outer)}; o++) memcpy(out + o * {L(shape[node.Axis] * inner)} + {L(offset)}, {X(part)} + o * {L(block)}, (size_t){L(block)} * sizeof({_type}));");
            offset += block;
        }

        return true;
    }

    /// <inheritdoc />
    public bool Visit(SoftmaxNode node)
    {
        var shape = node.Input.Shape;
        var length = shape[node.Axis];
        var inner = shape.Skip(node.Axis + 1).Aggregate(1L, (p, s) => p * s);
        var outer = node.Input.ElementLength / (length * inner);
        var x = X(node.Input);
        _c.Line("long o, i, k;");
        _c.Open($"for (o = 0; o < {L(outer)}; o++)");
        _c.Open($"for (i = 0; i < {L(inner)}; i++)");
        _c.Line($"const long at = o * {L(length * inner)} + i;");
        _c.Line("double max = -HUGE_VAL, sum = 0.0;");
        _c.Line($"for (k = 0; k < {L(length)}; k++) max = (double){x}[at + k * {L(inner)}] > max ? (double){x}[at + k * {L(inner)}] : max;");
        _c.Line($"for (k = 0; k < {L(length)}; k++) sum += exp((double){x}[at + k * {L(inner)}] - max);");
        _c.Line($"for (k = 0; k < {L(length)}; k++) out[at + k * {L(inner)}] = ({_type})(exp((double){x}[at + k * {L(inner)}] - max) / sum);");
        _c.Close();
        _c.Close();
        return true;
    }

    /// <inheritdoc />
    public bool Visit(ReshapeNode node) => Copy(node.Input, node.Output);

    private bool Copy(GraphValue input, GraphValue output)
    {
        _c.Line($"memcpy(out, {X(input)}, (size_t){L(output.ElementLength)} * sizeof({_type}));");
        return true;
    }

    private bool PerChannel(GraphValue input, GraphValue constant, string op)
    {
        var channels = input.Shape[1];
        var inner = input.ElementLength / input.Shape[0] / channels;
        Loop(input.ElementLength, $"out[i] = {X(input)}[i] {op} {X(constant)}[(i / {L(inner)}) % {L(channels)}];");
        return true;
    }

    private void Loop(long elements, string body)
    {
        _c.Line("long i;");
        _c.Line($"for (i = 0; i < {L(elements)}; i++) {body}");
    }

    /// <summary>
    /// A pooling's loops: for each output element, its window clipped to the input (<c>h0</c>..<c>h1</c>,
    /// <c>w0</c>..<c>w1</c>; <c>top</c> and <c>left</c> its corner in the padded input), then <paramref name="reduce"/>,
    /// which writes <c>*out++</c>.
    /// </summary>
    private void Pool(GraphValue inputValue, GraphValue outputValue, Size2 kernel, Size2 stride, Size2 padding, Action reduce)
    {
        var ic = CultureInfo.InvariantCulture;
        var (planes, height, width) = Planes(inputValue);
        _c.Line(string.Create(ic, $"const long H = {height}, W = {width};"));
        _c.Line("long plane, oh, ow, h, w;");
        _c.Open($"for (plane = 0; plane < {L(planes)}; plane++)");
        _c.Line($"const {_type} *const in = {X(inputValue)} + plane * H * W;");
        _c.Open(string.Create(ic, $"for (oh = 0; oh < {outputValue.Shape[2]}; oh++)"));
        _c.Line(string.Create(ic, $"const long top = oh * {stride.Height} - {padding.Height};"));
        _c.Line("const long h0 = top > 0 ? top : 0;");
        _c.Line(string.Create(ic, $"const long h1 = top + {kernel.Height} < H ? top + {kernel.Height} : H;"));
        _c.Open(string.Create(ic, $"for (ow = 0; ow < {outputValue.Shape[3]}; ow++)"));
        _c.Line(string.Create(ic, $"const long left = ow * {stride.Width} - {padding.Width};"));
        _c.Line("const long w0 = left > 0 ? left : 0;");
        _c.Line(string.Create(ic, $"const long w1 = left + {kernel.Width} < W ? left + {kernel.Width} : W;"));
        reduce();
        _c.Close();
        _c.Close();
        _c.Close();
    }

    private string X(GraphValue value) => _parameters[value.Name];

    private static string L(long value) => string.Create(CultureInfo.InvariantCulture, $"{value}L");

    private static string Literal(double value) => CExpressionPrinter.Literal(value)
        ?? throw new EmitException(EmitDiagnostics.UnprintableValue, $"The clamp bound {value.ToString(CultureInfo.InvariantCulture)} has no C literal; use a finite bound or none.");

    private static (long Planes, int Height, int Width) Planes(GraphValue value) =>
        ((long)value.Shape[0] * value.Shape[1], value.Shape[2], value.Shape[3]);
}
