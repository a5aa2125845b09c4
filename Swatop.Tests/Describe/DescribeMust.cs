using Swatop.Core;

namespace Swatop.Tests.Describe;

/// <summary>Must-fail assertions of the Describe stage: the diagnostic id, the parameter named and what the message states.</summary>
internal static class DescribeMust
{
    public static OperatorDescriptionException Fail(TestDelegate action, string id, string parameter, params string[] mentions)
    {
        var e = Assert.Throws<OperatorDescriptionException>(action);
        Assert.That(e.Id, Is.EqualTo(id));
        Assert.That(e.ParamName, Is.EqualTo(parameter));
        Assert.That(e.Message, Does.StartWith(id + ": "));
        foreach (var m in mentions)
        {
            Assert.That(e.Message, Does.Contain(m));
        }

        return e;
    }
}
