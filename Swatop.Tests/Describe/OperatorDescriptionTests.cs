using System.Globalization;
using Swatop.Core;
using Swatop.Primitives;

namespace Swatop.Tests.Describe;

/// <summary>
/// <see cref="OperatorDescription"/>: the one mapping from a kind and text attributes to an operator. It builds
/// what the builders build, takes defaults and shorthands, and fails with a diagnostic naming the attribute.
/// </summary>
public sealed class OperatorDescriptionTests
{
    private static OperatorDescription Describe(string kind, ElementType type = ElementType.Float64, params (string Name, string Value)[] attributes) =>
        new(kind, attributes.Select(a => KeyValuePair.Create(a.Name, a.Value)), type);

    /// <summary>A valid 2 x 8 x 12 x 9 x 7 convolution, 3 x 3, with attributes added or replaced.</summary>
    private static OperatorDescription Conv(params (string Name, string Value)[] changes)
    {
        var description = Describe("conv2d", ElementType.Float64,
            ("batch", "2"), ("in_channels", "8"), ("out_channels", "12"), ("in_height", "9"), ("in_width", "7"), ("kernel_h", "3"), ("kernel_w", "3"));
        return changes.Aggregate(description, (d, c) => d.WithAttribute(c.Name, c.Value));
    }

    private static OperatorDescription Gemm(params (string Name, string Value)[] changes) =>
        changes.Aggregate(Describe("gemm", ElementType.Float32, ("m", "5"), ("n", "7"), ("k", "9")), (d, c) => d.WithAttribute(c.Name, c.Value));

    [Test]
    public void Every_attribute_of_a_convolution_reaches_its_builder()
    {
        var description = Conv(("kernel_h", "3"), ("kernel_w", "2"), ("stride_h", "2"), ("stride_w", "1"), ("pad_h", "1"), ("pad_w", "0"),
            ("dilation_h", "1"), ("dilation_w", "2"), ("groups", "4"), ("layout", "nhwc"));
        var expected = Operator.Conv2d(2, 8, 12, 9, 7, new Size2(3, 2), new Size2(2, 1), Padding2.Symmetric(1, 0), new Size2(1, 2), 4, ElementType.Float64, ConvLayout.Nhwc);
        Assert.That(description.ToOperator(), Is.EqualTo(expected));
    }

    [Test]
    public void A_gemm_and_a_fully_connected_layer_are_what_their_builders_make()
    {
        Assert.That(Gemm(("batch", "3"), ("transpose_a", "1"), ("transpose_b", "true")).ToOperator(),
            Is.EqualTo(Operator.Gemm(5, 7, 9, transposeA: true, transposeB: true, batch: 3, elementType: ElementType.Float32)));
        Assert.That(Describe("fc", ElementType.Float32, ("batch", "4"), ("in_channels", "11"), ("out_channels", "6")).ToOperator(),
            Is.EqualTo(Operator.FullyConnected(4, 11, 6, ElementType.Float32)));
    }

    [Test]
    public void Optional_attributes_take_the_builders_defaults_and_blank_values_count_as_not_given()
    {
        Assert.That(Conv(("groups", ""), ("stride_h", "  "), ("layout", "")).ToOperator(), Is.EqualTo(Operator.Conv2d(2, 8, 12, 9, 7, 3)));
        Assert.That(Gemm(("transpose_a", "0"), ("transpose_b", "false"), ("batch", "")).ToOperator(),
            Is.EqualTo(Operator.Gemm(5, 7, 9, elementType: ElementType.Float32)));
    }

    [Test]
    public void A_size_for_both_directions_is_the_shorthand_of_the_two()
    {
        var shorthand = Conv(("kernel_h", ""), ("kernel_w", ""), ("kernel", "3"), ("stride", "2"), ("pad", "1"), ("dilation", "2"));
        var spelled = Conv(("stride_h", "2"), ("stride_w", "2"), ("pad_h", "1"), ("pad_w", "1"), ("dilation_h", "2"), ("dilation_w", "2"));
        Assert.That(shorthand.ToOperator(), Is.EqualTo(spelled.ToOperator()));
        Assert.That(shorthand.ToOperator(), Is.EqualTo(Operator.Conv2d(2, 8, 12, 9, 7, 3, 2, 1, 2)));
    }

    [Test]
    public void Values_are_read_without_their_blanks_and_with_a_sign()
    {
        Assert.That(Gemm(("m", " +5 "), ("n", "\t7")).ToOperator(), Is.EqualTo(Operator.Gemm(5, 7, 9, elementType: ElementType.Float32)));
    }

    [Test]
    public void Random_convolutions_described_by_attributes_equal_the_builders()
    {
        var random = new Random(2019);
        for (var i = 0; i < 50; i++)
        {
            var (groups, kernel, stride, dilation) = (random.Next(1, 3), random.Next(1, 4), random.Next(1, 3), random.Next(1, 3));
            var (inChannels, outChannels) = (groups * random.Next(1, 5), groups * random.Next(1, 5));
            var span = (dilation * (kernel - 1)) + 1;
            var pad = random.Next(0, span);
            var (height, width) = (random.Next(span, span + 6), random.Next(span, span + 6));
            var layout = random.Next(2) == 0 ? ConvLayout.Nchw : ConvLayout.Nhwc;
            var type = random.Next(2) == 0 ? ElementType.Float32 : ElementType.Float64;
            var description = Describe("conv2d", type,
                ("batch", "2"), ("in_channels", Text(inChannels)), ("out_channels", Text(outChannels)), ("in_height", Text(height)), ("in_width", Text(width)),
                ("kernel", Text(kernel)), ("stride", Text(stride)), ("pad", Text(pad)), ("dilation", Text(dilation)), ("groups", Text(groups)),
                ("layout", layout.ToString().ToLowerInvariant()));
            Assert.That(description.ToOperator(), Is.EqualTo(Operator.Conv2d(2, inChannels, outChannels, height, width, kernel, stride, pad, dilation, groups, type, layout)), description.ToString());
        }
    }

    [Test]
    public void A_row_of_fields_gives_the_kind_the_element_type_and_the_attributes_the_kind_takes()
    {
        var fields = new Dictionary<string, string>
        {
            ["layer"] = "fc6", ["op"] = " fc ", ["batch"] = "4", ["in_channels"] = "11", ["out_channels"] = "6", ["m"] = "3", ["kernel_h"] = "", ["dtype"] = "",
        };
        var description = OperatorDescription.FromFields(fields);
        Assert.That(description.Kind, Is.EqualTo("fc"));
        Assert.That(description.ElementType, Is.EqualTo(ElementType.Float32), "an empty dtype is float32");
        Assert.That(description.Attributes.Keys, Is.EqualTo(new[] { "batch", "in_channels", "out_channels" }));
        Assert.That(description.ToOperator(), Is.EqualTo(Operator.FullyConnected(4, 11, 6, ElementType.Float32)));
        fields["dtype"] = "double";
        Assert.That(OperatorDescription.FromFields(fields).ElementType, Is.EqualTo(ElementType.Float64));
        Assert.That(OperatorDescription.FromFields(new Dictionary<string, string> { ["op"] = "gemm" }, ElementType.Float64).ElementType, Is.EqualTo(ElementType.Float64));
    }

    [TestCase("float32", ElementType.Float32)]
    [TestCase("float", ElementType.Float32)]
    [TestCase(" float64 ", ElementType.Float64)]
    [TestCase("double", ElementType.Float64)]
    public void Element_types_have_two_names_each(string text, ElementType type) => Assert.That(OperatorDescription.ParseElementType(text), Is.EqualTo(type));

    [Test]
    public void Each_kind_lists_its_attributes_required_first()
    {
        Assert.That(OperatorDescription.Kinds, Is.EqualTo(new[] { "conv2d", "gemm", "fc" }));
        Assert.That(OperatorDescription.AttributesOf("gemm"), Is.EqualTo(new[] { "m", "n", "k", "batch", "transpose_a", "transpose_b" }));
        Assert.That(OperatorDescription.AttributesOf("fc"), Is.EqualTo(new[] { "batch", "in_channels", "out_channels" }));
        Assert.That(OperatorDescription.AttributesOf("conv2d").Take(6), Is.EqualTo(new[] { "batch", "in_channels", "out_channels", "in_height", "in_width", "kernel" }));
    }

    [Test]
    public void An_unknown_kind_is_named_with_the_kinds_there_are()
    {
        DescribeMust.Fail(() => Describe("pool").ToOperator(), DescribeDiagnostics.UnknownOperatorKind, "op", "op = 'pool' is not an operator", "conv2d, gemm or fc");
        DescribeMust.Fail(() => Describe(" ").ToOperator(), DescribeDiagnostics.UnknownOperatorKind, "op", "op is empty");
        DescribeMust.Fail(() => OperatorDescription.AttributesOf("Conv2d"), DescribeDiagnostics.UnknownOperatorKind, "op", "'Conv2d'");
        DescribeMust.Fail(() => OperatorDescription.FromFields(new Dictionary<string, string> { ["batch"] = "1" }), DescribeDiagnostics.UnknownOperatorKind, "op", "op is empty");
    }

    [Test]
    public void A_missing_attribute_is_named_with_the_kind_that_needs_it()
    {
        DescribeMust.Fail(() => Gemm(("k", "")).ToOperator(), DescribeDiagnostics.MissingAttribute, "k", "k is missing or empty", "gemm needs it");
        DescribeMust.Fail(() => Describe("fc", ElementType.Float32, ("batch", "1"), ("out_channels", "2")).ToOperator(),
            DescribeDiagnostics.MissingAttribute, "in_channels", "fc needs it");
        DescribeMust.Fail(() => Conv(("kernel_h", ""), ("kernel_w", "")).ToOperator(),
            DescribeDiagnostics.MissingAttribute, "kernel_h", "kernel_h is missing or empty", "conv2d needs kernel_h and kernel_w, or kernel for both");
        DescribeMust.Fail(() => Conv(("kernel_w", "")).ToOperator(), DescribeDiagnostics.MissingAttribute, "kernel_w");
    }

    [Test]
    public void A_malformed_value_is_named_with_the_rule_it_breaks()
    {
        DescribeMust.Fail(() => Gemm(("k", "x")).ToOperator(), DescribeDiagnostics.MalformedAttribute, "k", "k = 'x' is not an integer", "whole number");
        DescribeMust.Fail(() => Gemm(("m", "5.5")).ToOperator(), DescribeDiagnostics.MalformedAttribute, "m", "'5.5' is not an integer");
        DescribeMust.Fail(() => Gemm(("n", "99999999999")).ToOperator(), DescribeDiagnostics.MalformedAttribute, "n", "'99999999999' is not an integer", "2147483647");
        DescribeMust.Fail(() => Gemm(("transpose_b", "yes")).ToOperator(), DescribeDiagnostics.MalformedAttribute, "transpose_b", "'yes' is not a flag", "0 or 1");
        DescribeMust.Fail(() => Conv(("layout", "nwhc")).ToOperator(), DescribeDiagnostics.MalformedAttribute, "layout", "'nwhc' is not a layout", "nchw or nhwc");
        DescribeMust.Fail(() => Conv(("kernel", "three"), ("kernel_h", ""), ("kernel_w", "")).ToOperator(), DescribeDiagnostics.MalformedAttribute, "kernel", "'three'");
        DescribeMust.Fail(() => OperatorDescription.ParseElementType("half"), DescribeDiagnostics.MalformedAttribute, "dtype", "dtype = 'half' is not an element type", "float32", "float64");
        DescribeMust.Fail(() => OperatorDescription.FromFields(new Dictionary<string, string> { ["op"] = "gemm", ["dtype"] = "int8" }),
            DescribeDiagnostics.MalformedAttribute, "dtype", "'int8'");
    }

    [Test]
    public void An_attribute_the_kind_does_not_take_is_named_with_those_it_takes()
    {
        DescribeMust.Fail(() => Gemm(("colour", "red")).ToOperator(), DescribeDiagnostics.UnknownAttribute, "colour",
            "colour = 'red' is not an attribute of gemm", "m, n, k, batch, transpose_a, transpose_b");
        DescribeMust.Fail(() => Conv(("m", "5")).ToOperator(), DescribeDiagnostics.UnknownAttribute, "m", "not an attribute of conv2d");
        Assert.That(Gemm(("groups", "")).ToOperator().Kind, Is.EqualTo(OperatorKind.Gemm), "an empty value is no value");
    }

    [Test]
    public void A_size_given_for_both_directions_and_for_one_is_refused()
    {
        DescribeMust.Fail(() => Conv(("kernel", "3")).ToOperator(), DescribeDiagnostics.ConflictingAttributes, "kernel",
            "kernel = '3' and kernel_h = '3' are both given");
        DescribeMust.Fail(() => Conv(("pad", "1"), ("pad_w", "0")).ToOperator(), DescribeDiagnostics.ConflictingAttributes, "pad", "pad_w = '0'");
    }

    [Test]
    public void The_builders_rules_name_the_attribute_not_the_builders_parameter()
    {
        var e = DescribeMust.Fail(() => Conv(("in_channels", "0")).ToOperator(), DescribeDiagnostics.SizeTooSmall, "in_channels", "inChannels = 0", "at least 1");
        Assert.That(e.Message, Does.EndWith("(Parameter 'in_channels')"));
        Assert.That(e.Message, Does.Not.Contain("'inChannels'"));
        DescribeMust.Fail(() => Conv(("in_height", "0")).ToOperator(), DescribeDiagnostics.SizeTooSmall, "in_height", "height = 0");
        DescribeMust.Fail(() => Conv(("groups", "4"), ("out_channels", "6")).ToOperator(), DescribeDiagnostics.GroupsDoNotDivideChannels, "out_channels", "outChannels = 6", "groups = 4");
        DescribeMust.Fail(() => Conv(("kernel_w", "8")).ToOperator(), DescribeDiagnostics.KernelLargerThanInput, "kernel_w", "kernel.Width = 8");
        DescribeMust.Fail(() => Conv(("kernel_h", "10")).ToOperator(), DescribeDiagnostics.KernelLargerThanInput, "kernel_h", "kernel.Height = 10");
        DescribeMust.Fail(() => Conv(("kernel_h", ""), ("kernel_w", ""), ("kernel", "8")).ToOperator(), DescribeDiagnostics.KernelLargerThanInput, "kernel", "kernel.Width = 8");
        DescribeMust.Fail(() => Conv(("pad_w", "-1")).ToOperator(), DescribeDiagnostics.NegativePadding, "pad_w", "padding.Left = -1");
        DescribeMust.Fail(() => Conv(("stride_h", "0")).ToOperator(), DescribeDiagnostics.StrideTooSmall, "stride_h", "stride.Height = 0");
        DescribeMust.Fail(() => Conv(("dilation_w", "0")).ToOperator(), DescribeDiagnostics.DilationTooSmall, "dilation_w", "dilation.Width = 0");
        DescribeMust.Fail(() => Conv(("groups", "0")).ToOperator(), DescribeDiagnostics.GroupsTooSmall, "groups", "groups = 0");
        DescribeMust.Fail(() => Describe("fc", ElementType.Float32, ("batch", "1"), ("in_channels", "-2"), ("out_channels", "2")).ToOperator(),
            DescribeDiagnostics.SizeTooSmall, "in_channels", "inFeatures = -2");
        DescribeMust.Fail(() => Gemm(("m", "0")).ToOperator(), DescribeDiagnostics.SizeTooSmall, "m", "m = 0");
        DescribeMust.Fail(() => Gemm(("m", "65536"), ("k", "65536")).ToOperator(), DescribeDiagnostics.TooLarge, "m", "int.MaxValue");
    }

    [Test]
    public void Descriptions_are_values()
    {
        var a = Describe("gemm", ElementType.Float32, ("m", "5"), ("n", "7"), ("k", "9"));
        var b = Describe("gemm", ElementType.Float32, ("k", "9"), ("n", "7"), ("m", "5"));
        Assert.That(a, Is.EqualTo(b), "the attributes' order does not matter");
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        Assert.That(a.WithAttribute("m", 6), Is.Not.EqualTo(a));
        Assert.That(a.WithAttribute("m", 6).Attributes["m"], Is.EqualTo("6"));
        Assert.That(a.Attributes["m"], Is.EqualTo("5"), "a With* leaves the original alone");
        Assert.That(a.WithAttribute("transpose_a", true).Attributes["transpose_a"], Is.EqualTo("1"));
        Assert.That(a.WithAttribute("batch", 2).WithoutAttribute("batch"), Is.EqualTo(a));
        Assert.That(a.WithoutAttribute("batch"), Is.SameAs(a));
        Assert.That(a.WithElementType(ElementType.Float64), Is.Not.EqualTo(a));
        Assert.That(a.WithElementType(ElementType.Float64).ElementType, Is.EqualTo(ElementType.Float64));
        Assert.That(a.ToString(), Is.EqualTo("gemm(k=9, m=5, n=7) float32"));
    }

    [Test]
    public void A_description_refuses_an_attribute_named_twice_a_null_value_and_an_undefined_element_type()
    {
        Assert.Throws<ArgumentException>(() => _ = new OperatorDescription("gemm", [KeyValuePair.Create("m", "1"), KeyValuePair.Create("m", "2")], ElementType.Float32));
        Assert.Throws<ArgumentNullException>(() => _ = new OperatorDescription("gemm", [KeyValuePair.Create("m", (string)null!)], ElementType.Float32));
        DescribeMust.Fail(() => _ = new OperatorDescription("gemm", [], (ElementType)7), DescribeDiagnostics.UndefinedEnumValue, "elementType");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
