using Swatop.Core.Scheduling;

namespace Swatop.Tests.Scheduling;

/// <summary>Must-fail assertions of the scheduling stage: the diagnostic id, the decision named and what the message states.</summary>
internal static class ScheduleMust
{
    public static ScheduleException Fail(TestDelegate action, string id, string decision, params string[] mentions)
    {
        var e = Assert.Throws<ScheduleException>(action)!;
        Assert.That(e.Id, Is.EqualTo(id), e.Message);
        Assert.That(e.ParamName, Is.EqualTo(decision), e.Message);
        Assert.That(e.Message, Does.StartWith(id + ": "));
        foreach (var m in mentions)
        {
            Assert.That(e.Message, Does.Contain(m));
        }

        return e;
    }
}
