using System.Collections.Immutable;
using System.Globalization;
using Swatop.Core.Graphs;

namespace Swatop.Core.Onnx;

/// <summary>The element-wise, pooling and shape operators.</summary>
internal sealed partial class OnnxGraphImporter
{
    private void Relu(OnnxNode node)
    {
        node.Known();
        Define(node, _builder.Relu(FinalName(node), Activation(node, 0, "X")));
    }

    /// <summary>A clamp whose bounds (opset 11 on: the optional inputs min and max) are constant scalars.</summary>
    private void Clip(OnnxNode node)
    {
        node.Known();
        var x = Activation(node, 0, "input");
        double Bound(int index, string role, double absent)
        {
            if (Constant(node, index, role, optional: true) is not { } bound)
            {
                return absent;
            }

            if (bound.Length != 1)
            {
                throw node.Error(OnnxDiagnostics.ShapeMismatch, $"has {role} {bound.ShapeText}: a bound is a scalar.");
            }

            return bound.Values[0];
        }

        var min = Bound(1, "min", double.NegativeInfinity);
        var max = Bound(2, "max", double.PositiveInfinity);
        Define(node, _builder.Clip(FinalName(node), x, min, max));
    }

    /// <summary>
    /// A sum: of two activations of one shape (a residual join), or of an activation and a constant that
    /// varies at most along the channels (dimension 1; broadcast from the right as ONNX does), a bias.
    /// </summary>
    private void Add(OnnxNode node)
    {
        node.Known();
        var (left, right) = (IsConstant(node, 0), IsConstant(node, 1));
        if (!left && !right)
        {
            var a = Activation(node, 0, "A");
            var b = Activation(node, 1, "B");
            if (!a.Shape.SequenceEqual(b.Shape))
            {
                throw node.Error(
                    OnnxDiagnostics.UnsupportedUse,
                    $"adds '{a.Name}' {a.ShapeText} and '{b.Name}' {b.ShapeText}: two activations are added only of the same shape (broadcasting between activations does not run).");
            }

            Define(node, _builder.Add(FinalName(node), a, b));
            return;
        }

        if (left && right)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, "adds two constants: the graph computes from its inputs (constant folding is not done).");
        }

        var x = Activation(node, left ? 1 : 0, left ? "B" : "A");
        var c = Constant(node, left ? 0 : 1, left ? "A" : "B")!;
        var channels = x.Rank >= 2 ? x.Shape[1] : -1;
        var fits = x.Rank >= 2 && c.Shape.Length <= x.Rank && (c.Length == 1 || c.Length == channels);
        for (var i = 0; fits && i < c.Shape.Length; i++)
        {
            var d = x.Rank - c.Shape.Length + i;
            fits = c.Shape[i] == 1 || (d == 1 && c.Shape[i] == channels);
        }

        if (!fits)
        {
            throw node.Error(
                OnnxDiagnostics.UnsupportedUse,
                $"adds constant {c.ShapeText} to '{x.Name}' {x.ShapeText}: a constant is added as a per-channel bias (a scalar, or lengths of 1 but for the channels, dimension 1).");
        }

        var name = FinalName(node);
        var y = _builder.BiasAdd(name, x);
        Store(_builder.ValueNamed($"{name}.bias"), [.. Enumerable.Range(0, channels).Select(k => c.Values[c.Length == 1 ? 0 : k])]);
        Define(node, y);
    }

    private void MaxPool(OnnxNode node)
    {
        node.Known("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides");
        node.SingleOutput();
        var x = Activation(node, 0, "X");
        var (kernel, stride, padding) = PoolWindow(node, x);
        Define(node, _builder.MaxPool(FinalName(node), x, kernel, stride, padding));
    }

    private void AveragePool(OnnxNode node)
    {
        node.Known("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides");
        var x = Activation(node, 0, "X");
        var (kernel, stride, padding) = PoolWindow(node, x);
        Define(node, _builder.AveragePool(FinalName(node), x, kernel, stride, padding, Flag(node, "count_include_pad")));
    }

    private void GlobalAveragePool(OnnxNode node)
    {
        node.Known();
        var x = Activation(node, 0, "X");
        if (x.Rank != 4)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, $"pools '{x.Name}' {x.ShapeText}: only two-dimensional pooling (rank 4, NCHW) runs.");
        }

        Define(node, _builder.GlobalAveragePool(FinalName(node), x));
    }

    /// <summary>Joins the dimensions before <c>axis</c> and those from it: a <see cref="FlattenNode"/> for axis 1, a reshape otherwise.</summary>
    private void Flatten(OnnxNode node)
    {
        node.Known("axis");
        var x = Activation(node, 0, "input");
        var given = node.Int("axis", 1);
        if (given < -x.Rank || given > x.Rank)
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, string.Create(CultureInfo.InvariantCulture, $"has axis = {given}: Flatten's axis lies in [{-x.Rank}, {x.Rank}] for '{x.Name}' {x.ShapeText}."));
        }

        var axis = (int)(given < 0 ? given + x.Rank : given);
        if (axis == 1 && x.Rank >= 2)
        {
            Define(node, _builder.Flatten(FinalName(node), x));
            return;
        }

        var outer = 1L;
        for (var d = 0; d < axis; d++)
        {
            outer *= x.Shape[d];
        }

        Define(node, _builder.Reshape(FinalName(node), x, (int)outer, (int)(x.ElementLength / outer)));
    }

    /// <summary>A reshape to a constant shape: 0 keeps the input's dimension (unless allowzero), -1 takes what is left.</summary>
    private void Reshape(OnnxNode node)
    {
        node.Known("allowzero");
        var x = Activation(node, 0, "data");
        var shape = Constant(node, 1, "shape")!;
        if (shape.Shape.Length != 1)
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, $"has shape {shape.ShapeText}: Reshape's shape is a one-dimensional tensor.");
        }

        var allowZero = Flag(node, "allowzero");
        var dims = new long[shape.Length];
        var inferred = -1;
        long known = 1;
        for (var d = 0; d < dims.Length; d++)
        {
            var v = shape.Values[d];
            dims[d] = v == 0 && !allowZero && d < x.Rank ? x.Shape[d] : (long)v;
            if (v != Math.Floor(v) || dims[d] < -1 || dims[d] == 0 || dims[d] > int.MaxValue || (dims[d] == -1 && inferred >= 0))
            {
                throw node.Error(
                    OnnxDiagnostics.InvalidAttribute,
                    string.Create(CultureInfo.InvariantCulture, $"has shape [{string.Join(", ", shape.Values)}] for '{x.Name}' {x.ShapeText}: each entry is a positive length, 0 (the input's, without allowzero) or one -1."));
            }

            if (dims[d] == -1)
            {
                inferred = d;
            }
            else
            {
                known = Math.Min(known * dims[d], (long)int.MaxValue + 1);
            }
        }

        if (inferred >= 0)
        {
            dims[inferred] = x.ElementLength % known == 0 ? x.ElementLength / known : 0;
        }

        Define(node, _builder.Reshape(FinalName(node), x, [.. dims.Select(d => (int)Math.Clamp(d, 0, int.MaxValue))]));
    }

    private void Concat(OnnxNode node)
    {
        node.Known("axis");
        if (node.Int("axis", long.MinValue) == long.MinValue)
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, "has no axis: Concat's axis is required.");
        }

        var parts = Enumerable.Range(0, node.Inputs.Count).Select(i => Activation(node, i, "inputs")).ToArray();
        if (parts.Length == 0)
        {
            throw node.Error(OnnxDiagnostics.MissingInput, "has no input: Concat joins one or more tensors.");
        }

        var axis = Axis(node, node.Int("axis", 0), parts[0].Rank);
        Define(node, _builder.Concat(FinalName(node), axis, parts));
    }

    /// <summary>
    /// A softmax: along <c>axis</c> (default -1) from opset 13; before, over the dimensions from <c>axis</c>
    /// (default 1) on together, a reshape to <c>[outer][inner]</c> around a softmax of the last dimension.
    /// </summary>
    private void Softmax(OnnxNode node)
    {
        node.Known("axis");
        var x = Activation(node, 0, "input");
        var axis = Axis(node, node.Int("axis", _opset >= 13 ? -1 : 1), x.Rank);
        if (_opset >= 13 || axis == x.Rank - 1)
        {
            Define(node, _builder.Softmax(FinalName(node), x, axis));
            return;
        }

        var outer = 1;
        for (var d = 0; d < axis; d++)
        {
            outer *= x.Shape[d];
        }

        var flat = _builder.Reshape(HelperName(node, "rows"), x, outer, (int)(x.ElementLength / outer));
        var normalized = _builder.Softmax(HelperName(node, "softmax"), flat, 1);
        Define(node, _builder.Reshape(FinalName(node), normalized, x.Shape.AsSpan()));
    }

    /// <summary>Identity and inference Dropout: the output is the input.</summary>
    private void PassThrough(OnnxNode node)
    {
        node.Known("ratio", "seed");
        if (node.OpType == "Dropout" && (node.Input(1) is not null || node.Input(2) is { }))
        {
            if (node.Input(2) is { } training && (!_constants.TryGetValue(training, out var t) || t.Values.Any(v => v != 0)))
            {
                throw node.Error(OnnxDiagnostics.UnsupportedUse, "has a training_mode that is not a constant false: only inference runs.");
            }
        }

        node.SingleOutput();
        Define(node, Activation(node, 0, "input"));
    }

    /// <summary>A <c>Constant</c> node: its value becomes a constant like an initializer.</summary>
    private void ConstantNode(OnnxNode node)
    {
        node.Known("value", "value_float", "value_floats", "value_int", "value_ints");
        if (node.AttributeNames.Count() != 1)
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, "has no value, or more than one: a Constant has exactly one value attribute.");
        }

        var what = $"the value of {node.Text}";
        var name = node.AttributeNames.Single();
        _constants[node.Output] = name switch
        {
            "value" => OnnxConstant.Read(node.Tensor("value")!, what),
            "value_float" => new OnnxConstant([], [node.Float(name, 0)]),
            "value_int" => new OnnxConstant([], [node.Int(name, 0)]),
            "value_floats" => new OnnxConstant([node.Floats(name)!.Value.Length], [.. node.Floats(name)!.Value.Select(v => (double)v)]),
            _ => new OnnxConstant([node.Ints(name)!.Value.Length], [.. node.Ints(name)!.Value.Select(v => (double)v)]),
        };
    }

    /// <summary>A pooling's kernel, stride and symmetric padding; refuses what the graph's poolings do not run.</summary>
    private static (Size2 Kernel, Size2 Stride, Size2 Padding) PoolWindow(OnnxNode node, GraphValue x)
    {
        if (x.Rank != 4)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, $"pools '{x.Name}' {x.ShapeText}: only two-dimensional pooling (rank 4, NCHW) runs.");
        }

        var kernel = Pair(node, "kernel_shape", null)
            ?? throw node.Error(OnnxDiagnostics.InvalidAttribute, "has no kernel_shape: a pooling's window is required.");
        var stride = Pair(node, "strides", 1)!.Value;
        if (Pair(node, "dilations", 1) != (1, 1))
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, "has dilations other than 1: dilated pooling does not run.");
        }

        var pads = Pads(node, x, kernel, stride, (1, 1));
        if (pads.Top != pads.Bottom || pads.Left != pads.Right)
        {
            throw node.Error(OnnxDiagnostics.UnsupportedUse, $"pads {pads} unevenly: a pooling runs with the same padding on both sides of each dimension.");
        }

        var ceil = Flag(node, "ceil_mode");
        if (ceil)
        {
            // Ceiling mode runs when it gives the floor mode's output (the windows fit exactly).
            static bool Exact(int extent, int k, int s, int p) => (extent + (2L * p) - k) % s == 0;
            if (!Exact(x.Shape[2], kernel.Item1, stride.Item1, pads.Top) || !Exact(x.Shape[3], kernel.Item2, stride.Item2, pads.Left))
            {
                throw node.Error(OnnxDiagnostics.UnsupportedUse, $"has ceil_mode = 1 and windows that do not fit '{x.Name}' {x.ShapeText} exactly: only floor mode runs.");
            }
        }

        return (new Size2(kernel.Item1, kernel.Item2), new Size2(stride.Item1, stride.Item2), new Size2(pads.Top, pads.Left));
    }

    /// <summary>An axis in <c>[-rank, rank - 1]</c>, counted from zero.</summary>
    private static int Axis(OnnxNode node, long axis, int rank)
    {
        if (axis < -rank || axis >= rank)
        {
            throw node.Error(OnnxDiagnostics.InvalidAttribute, string.Create(CultureInfo.InvariantCulture, $"has axis = {axis}: it lies in [{-rank}, {rank - 1}] here."));
        }

        return (int)(axis < 0 ? axis + rank : axis);
    }
}
