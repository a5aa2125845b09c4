using System.CommandLine;
using System.CommandLine.Parsing;
using Swatop.Cli.Operators;

namespace Swatop.Cli.CommandLine;

/// <summary>
/// The options that describe one operator, as <c>swatop run</c>, <c>tune</c> and <c>emit</c> take them:
/// <c>--in-channels 64</c> is the field <c>in_channels</c> of <see cref="OperatorFields"/>, and <c>--kernel</c>,
/// <c>--stride</c>, <c>--pad</c>, <c>--dilation</c> stand for both their <c>-h</c> and <c>-w</c> forms. The
/// values stay text: the operator's description reads them (<see cref="Core.OperatorDescription.FromFields"/>)
/// and names a field, its value and the rule when one is wrong.
/// </summary>
internal sealed class OperatorOptions
{
    private static readonly string[] PerDimension = ["kernel", "stride", "pad", "dilation"];

    private readonly Dictionary<string, Option<string>> _byField = new(StringComparer.Ordinal);

    /// <summary>Declares the options.</summary>
    public OperatorOptions()
    {
        Op = Add("op", "The operator: conv2d, gemm or fc.", "conv2d|gemm|fc", "conv2d", "gemm", "fc");
        Add("batch", "The batch: images (conv2d, fc), or independent GEMMs (gemm, 1 by default).", "N");
        Add("in_channels", "Input channels (conv2d), input features (fc).", "N");
        Add("out_channels", "Output channels (conv2d), output features (fc).", "N");
        Add("in_height", "Input height (conv2d).", "N");
        Add("in_width", "Input width (conv2d).", "N");
        foreach (var (name, what) in new[] { ("kernel", "Kernel size"), ("stride", "Stride, 1 by default"), ("pad", "Zero padding, 0 by default"), ("dilation", "Dilation, 1 by default") })
        {
            Add(name, $"{what} (conv2d), both dimensions; or --{name}-h and --{name}-w.", "N");
            Add(name + "_h", $"{what} (conv2d), along the height.", "N");
            Add(name + "_w", $"{what} (conv2d), along the width.", "N");
        }

        Add("groups", "Groups of channels (conv2d), 1 by default.", "N");
        Add("layout", "The tensors' layout (conv2d): nchw (input NCHW, weights OIHW) by default, or nhwc.", "nchw|nhwc", "nchw", "nhwc");
        Add("m", "Rows of C and A (gemm).", "N");
        Add("n", "Columns of C and B (gemm).", "N");
        Add("k", "The reduction (gemm).", "N");
        Add("transpose_a", "A stored transposed (gemm): 0 or 1.", "0|1", "0", "1");
        Add("transpose_b", "B stored transposed (gemm): 0 or 1.", "0|1", "0", "1");
        Dtype = Add("dtype", "The element type: float32 (the default) or float64.", "float32|float64", "float32", "float64");
    }

    /// <summary>Every operator option, in the order help lists them.</summary>
    public IReadOnlyList<Option<string>> All => [.. _byField.Values];

    /// <summary><c>--op</c>.</summary>
    public Option<string> Op { get; }

    /// <summary><c>--dtype</c>.</summary>
    public Option<string> Dtype { get; }

    /// <summary>The option of a field (<c>in_channels</c>: <c>--in-channels</c>).</summary>
    public Option<string> this[string field] => _byField[field];

    /// <summary>The options the command line gave, by field.</summary>
    public Dictionary<string, string> Given(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, option) in _byField)
        {
            if (result.GetResult(option) is OptionResult { Implicit: false } && result.GetValue(option) is { } value)
            {
                fields[field] = value;
            }
        }

        return fields;
    }

    /// <summary>The operator the command line describes.</summary>
    public OperatorFields Fields(ParseResult result) => new(Given(result));

    /// <summary>The operator options given on <paramref name="result"/>'s command line.</summary>
    public IEnumerable<Option<string>> GivenOn(CommandResult result) => _byField.Values.Where(result.Given);

    /// <summary>Adds the options to <paramref name="command"/>, with the rule that a shorthand and one of its fields are not both given.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in _byField.Values)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            foreach (var name in PerDimension.Where(name => result.Given(this[name])))
            {
                if (new[] { this[name + "_h"], this[name + "_w"] }.FirstOrDefault(result.Given) is { } field)
                {
                    result.AddError($"{this[name].Name} and {field.Name} are both given.");
                }
            }
        });
    }

    /// <summary>The option name of a field: <c>in_channels</c> is <c>--in-channels</c>.</summary>
    public static string OptionName(string field) => "--" + field.Replace('_', '-');

    private Option<string> Add(string field, string description, string helpName, params string[] completions)
    {
        var option = new Option<string>(OptionName(field)) { Description = description, HelpName = helpName };
        if (completions.Length > 0)
        {
            option.CompletionSources.Add(completions);
        }

        _byField.Add(field, option);
        return option;
    }
}
