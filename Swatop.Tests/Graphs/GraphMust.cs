using Swatop.Core.Graphs;

namespace Swatop.Tests.Graphs;

/// <summary>Must-fail assertions of the graph layer: the diagnostic id, the parameter named and what the message states.</summary>
internal static class GraphMust
{
    public static GraphException Fail(TestDelegate action, string id, string parameter, params string[] mentions)
    {
        var e = Assert.Throws<GraphException>(action);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Id, Is.EqualTo(id), e.Message);
            Assert.That(e.ParamName, Is.EqualTo(parameter), e.Message);
            Assert.That(e.Message, Does.StartWith(id + ": "));
            foreach (var m in mentions)
            {
                Assert.That(e.Message, Does.Contain(m));
            }
        }

        return e;
    }
}
