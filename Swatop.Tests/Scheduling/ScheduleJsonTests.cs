using Swatop.Core;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Scheduling;

namespace Swatop.Tests.Scheduling;

/// <summary>A schedule read back from its JSON is the same schedule; a text that is not a schedule is refused with SWS0008.</summary>
public sealed class ScheduleJsonTests
{
    private static readonly ImplicitGemmSchedule Conv = new()
    {
        Mapping = new GemmMapping("n", "co", "ci"),
        TileM = 128, TileN = 32, TileK = 8,
        IndexOrder = ["ow", "oh", "n", "co"],
        ReductionOrder = ["kh", "ci", "kw"],
        WindowAxis = "ow", Window = 4,
        Operands = [new(OperandRole.A, "ow_in", DoubleBuffer: true), new(OperandRole.B, "kh", DoubleBuffer: true), new(OperandRole.Output)],
        CoreGroups = 4, SplitAxis = "oh",
    };

    private static IEnumerable<TestCaseData> Spaces() => SmallOperators.All.Select(spec => new TestCaseData(spec).SetArgDisplayNames(spec.Kind + " " + spec.Expression.Name));

    [TestCaseSource(nameof(Spaces))]
    public void Sampled_schedules_read_back_from_their_json_equal(OperatorSpec spec)
    {
        var space = ImplicitGemmSpace.For(spec, SmallOperators.Limits);
        var random = new Random(41);
        for (var i = 0; i < 60; i++)
        {
            var schedule = space.Sample(random);
            var json = schedule.ToJson();
            var back = Schedule.FromJson(json);
            Assert.That(back, Is.EqualTo(schedule), json);
            Assert.That(back.ToJson(), Is.EqualTo(json));
        }
    }

    [Test]
    public void Every_schedule_of_a_small_gemm_reads_back_from_its_json()
    {
        var all = ImplicitGemmSpace.For(SmallOperators.Gemm, SmallOperators.Limits).Enumerate().ToList();
        Assert.That(all, Has.Count.GreaterThan(50));
        Assert.That(all.Select(s => Schedule.FromJson(s.ToJson())), Is.EqualTo(all));
    }

    [TestCase(128, 8, 32, 6, 6, 3)]
    [TestCase(256, 16, 64, 10, 9, 3)]
    [TestCase(128, 8, 32, 5, 5, 2)]
    public void Swdnn_schedule_reads_back_from_its_json(int batch, int inChannels, int outChannels, int height, int width, int kernel)
    {
        var schedule = Schedules.SwDnn(Operator.Conv2d(batch, inChannels, outChannels, height, width, kernel), SmallOperators.Limits);
        Assert.That(Schedule.FromJson(schedule.ToJson()), Is.EqualTo(schedule));
    }

    [Test]
    public void Json_is_one_line_with_a_camel_case_name_for_every_decision()
    {
        var json = Conv.ToJson();
        Assert.That(json, Is.EqualTo(
            """{"algorithm":"implicit-gemm","mapping":{"m":"n","n":"co","k":"ci"},"tileM":128,"tileN":32,"tileK":8,"indexOrder":["ow","oh","n","co"],"reductionOrder":["kh","ci","kw"],"windowAxis":"ow","window":4,"operands":[{"role":"a","level":"ow_in","doubleBuffer":true},{"role":"b","level":"kh","doubleBuffer":true},{"role":"output","level":null,"doubleBuffer":false}],"blockedLayouts":false,"mergedAxes":[],"coreGroups":4,"splitAxis":"oh"}"""));
        // Output and input margins and the group memory are written when the schedule has them, so the line above stays as it was.
        var withMargins = (Conv with { OutputMargins = new([0, 0, 1, 1], [0, 0, 1, 1]), InputMargins = new("input", [0, 0, 0, 0], [0, 0, 1, 1]), GroupMemory = true }).ToJson();
        foreach (var decision in ScheduleValueTests.Decisions)
        {
            Assert.That(withMargins, Does.Contain($"\"{char.ToLowerInvariant(decision[0])}{decision[1..]}\":"), decision);
        }
    }

    [Test]
    public void Json_written_before_blocked_layouts_and_overlapped_puts_existed_reads_as_neither()
    {
        const string before = """{"mapping":{"m":"n","n":"co","k":"ci"},"tileM":128,"tileN":32,"tileK":8,"indexOrder":["ow","oh","n","co"],"reductionOrder":["kh","ci","kw"],"windowAxis":"ow","window":4,"levelA":"ow_in","levelB":"kh","doubleBufferA":true,"doubleBufferB":true,"coreGroups":4,"splitAxis":"oh"}""";
        Assert.That(Schedule.FromJson(before), Is.EqualTo(Conv));
        var both = Conv.WithDoubleBuffer(OperandRole.Output, true) with { BlockedLayouts = true };
        Assert.That(Schedule.FromJson(both.ToJson()), Is.EqualTo(both));
    }

    [Test]
    public void Defaults_and_nulls_read_back_as_defaults_and_nulls()
    {
        var plain = new ImplicitGemmSchedule { Mapping = new GemmMapping("m", "n", "k"), TileM = 128, TileN = 32, TileK = 8, IndexOrder = ["m", "n"], ReductionOrder = ["k"] };
        var back = (ImplicitGemmSchedule)Schedule.FromJson(plain.ToJson());
        Assert.That(back, Is.EqualTo(plain));
        Assert.Multiple(() =>
        {
            Assert.That(back.Window, Is.EqualTo(1));
            Assert.That(back.CoreGroups, Is.EqualTo(1));
            Assert.That(back.WindowAxis, Is.Null);
            Assert.That(back.Operand(OperandRole.A).Level, Is.Null);
            Assert.That(back.SplitAxis, Is.Null);
        });
    }

    [TestCase("", "does not contain any JSON tokens")]
    [TestCase("{\"mapping\":", "open JSON object")]
    [TestCase("[]", "could not be converted")]
    [TestCase("42", "could not be converted")]
    public void Text_that_is_not_json_of_an_object_is_malformed(string json, string reason) =>
        ScheduleMust.Fail(() => Schedule.FromJson(json), ScheduleDiagnostics.MalformedJson, "json", "not a schedule", reason);

    [Test]
    public void Json_null_is_malformed() =>
        ScheduleMust.Fail(() => Schedule.FromJson("null"), ScheduleDiagnostics.MalformedJson, "json", "null, not a schedule");

    [Test]
    public void Trailing_text_after_the_schedule_is_malformed() =>
        ScheduleMust.Fail(() => Schedule.FromJson(Conv.ToJson() + "}"), ScheduleDiagnostics.MalformedJson, "json", "not a schedule");

    [TestCase("mapping")]
    [TestCase("tileM")]
    [TestCase("indexOrder")]
    [TestCase("reductionOrder")]
    public void A_missing_required_decision_is_malformed_and_named(string name) =>
        ScheduleMust.Fail(() => Schedule.FromJson(Without(Conv.ToJson(), name)), ScheduleDiagnostics.MalformedJson, "json", "missing required properties", $"'{name}'");

    /// <summary>
    /// Found by these tests: the generated JSON reader gave a missing <c>window</c> or <c>coreGroups</c> the value 0, not
    /// the C# default 1, so a schedule read back silently differed from the one its text describes.
    /// </summary>
    [TestCase("window")]
    [TestCase("coreGroups")]
    [TestCase("operands")]
    public void A_missing_decision_with_a_default_is_malformed_not_zero(string name) =>
        ScheduleMust.Fail(() => Schedule.FromJson(Without(Conv.ToJson(), name)), ScheduleDiagnostics.MalformedJson, "json", "missing required properties", $"'{name}'");

    [Test]
    public void A_mapping_without_k_is_malformed() =>
        ScheduleMust.Fail(() => Schedule.FromJson(Conv.ToJson().Replace(",\"k\":\"ci\"", "", StringComparison.Ordinal)),
            ScheduleDiagnostics.MalformedJson, "json", "GemmMapping", "'k'");

    [TestCase("\"tileM\":128", "\"tileM\":\"128\"", "$.tileM")]
    [TestCase("\"tileM\":128", "\"tileM\":128.5", "$.tileM")]
    [TestCase("\"tileM\":128", "\"tileM\":4294967424", "$.tileM")]
    [TestCase("\"doubleBuffer\":true", "\"doubleBuffer\":1", "$.operands[0].doubleBuffer")]
    [TestCase("[\"ow\",\"oh\",\"n\",\"co\"]", "\"ow oh n co\"", "$.indexOrder")]
    [TestCase("[\"ow\",\"oh\",\"n\",\"co\"]", "null", "$.indexOrder")]
    public void A_value_of_the_wrong_type_is_malformed_and_its_path_named(string valid, string invalid, string path) =>
        ScheduleMust.Fail(() => Schedule.FromJson(Conv.ToJson().Replace(valid, invalid, StringComparison.Ordinal)), ScheduleDiagnostics.MalformedJson, "json", path);

    /// <summary>Found by these tests: a null mapping or axis name came through as a schedule whose validation then threw a NullReferenceException.</summary>
    [TestCase("{\"m\":\"n\",\"n\":\"co\",\"k\":\"ci\"}", "null", "'Mapping'", "$.mapping")]
    [TestCase("\"m\":\"n\"", "\"m\":null", "'M'", "$.mapping.m")]
    public void A_null_where_a_decision_has_no_null_is_malformed(string valid, string invalid, string name, string path) =>
        ScheduleMust.Fail(() => Schedule.FromJson(Conv.ToJson().Replace(valid, invalid, StringComparison.Ordinal)), ScheduleDiagnostics.MalformedJson, "json", name, path, "null");

    /// <summary>Found by these tests: a null loop name came through and validation threw an ArgumentNullException.</summary>
    [Test]
    public void A_null_loop_name_is_malformed()
    {
        var json = Conv.ToJson().Replace("[\"kh\",\"ci\",\"kw\"]", "[\"kh\",null,\"kw\"]", StringComparison.Ordinal);
        ScheduleMust.Fail(() => Schedule.FromJson(json), ScheduleDiagnostics.MalformedJson, "json", "reductionOrder = [kh, null, kw]", "null where a loop name belongs");
    }

    [Test]
    public void Json_that_is_a_schedule_but_breaks_a_rule_reads_and_fails_validation()
    {
        var schedule = (ImplicitGemmSchedule)Schedule.FromJson(Conv.ToJson().Replace("\"tileM\":128", "\"tileM\":100", StringComparison.Ordinal));
        Assert.That(schedule.TileM, Is.EqualTo(100));
        ScheduleMust.Fail(() => LoopPlan.Create(SmallOperators.SwDnnConv, schedule, SmallOperators.Limits), ScheduleDiagnostics.IllegalTile, "TileM", "TileM = 100");
    }

    [Test]
    public void Null_text_is_an_argument_error() => Assert.Throws<ArgumentNullException>(() => Schedule.FromJson(null!));

    [Test]
    public void Json_names_the_algorithm_first()
    {
        Assert.That(Conv.ToJson(), Does.StartWith("{\"algorithm\":\"implicit-gemm\","));
        Assert.That(Schedule.FromJson(Conv.ToJson()), Is.TypeOf<ImplicitGemmSchedule>());
    }

    [Test]
    public void Json_with_the_algorithm_anywhere_in_the_object_reads()
    {
        var moved = Without(Conv.ToJson(), "algorithm").Replace("\"splitAxis\":\"oh\"}", "\"splitAxis\":\"oh\",\"algorithm\":\"implicit-gemm\"}", StringComparison.Ordinal);
        Assert.That(Schedule.FromJson(moved), Is.EqualTo(Conv));
    }

    [TestCase("\"fft\"", "\"fft\"")]
    [TestCase("42", "42")]
    [TestCase("null", "null")]
    public void Json_naming_no_algorithm_of_this_library_is_malformed(string algorithm, string shown) =>
        ScheduleMust.Fail(() => Schedule.FromJson(Conv.ToJson().Replace("\"implicit-gemm\"", algorithm, StringComparison.Ordinal)),
            ScheduleDiagnostics.MalformedJson, "json", $"algorithm = {shown} names no algorithm", "implicit-gemm");

    [Test]
    public void Json_without_an_algorithm_and_with_operand_decisions_by_letter_reads_as_implicit_gemm()
    {
        const string letters = """{"mapping":{"m":"n","n":"co","k":"ci"},"tileM":128,"tileN":32,"tileK":8,"indexOrder":["ow","oh","n","co"],"reductionOrder":["kh","ci","kw"],"windowAxis":"ow","window":4,"levelA":"ow_in","levelB":"kh","doubleBufferA":true,"doubleBufferB":true,"doubleBufferC":true,"blockedLayouts":false,"coreGroups":4,"splitAxis":"oh"}""";
        var read = (ImplicitGemmSchedule)Schedule.FromJson(letters);
        Assert.That(read, Is.EqualTo(Conv.WithDoubleBuffer(OperandRole.Output, true)));
        Assert.That(Schedule.FromJson(read.ToJson()), Is.EqualTo(read));
    }

    [Test]
    public void A_null_among_the_operand_decisions_is_malformed() =>
        ScheduleMust.Fail(() => Schedule.FromJson(Conv.ToJson().Replace("{\"role\":\"b\",\"level\":\"kh\",\"doubleBuffer\":true}", "null", StringComparison.Ordinal)),
            ScheduleDiagnostics.MalformedJson, "json", "operands holds a null");

    /// <summary>The JSON object without its property <paramref name="name"/>.</summary>
    private static string Without(string json, string name)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Assert.That(node.Remove(name), Is.True, name);
        return node.ToJsonString();
    }
}
