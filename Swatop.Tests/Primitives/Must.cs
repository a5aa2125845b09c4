namespace Swatop.Tests.PrimitiveKernels;

/// <summary>Must-fail assertions: the exception type, the parameter it names and what its message states.</summary>
internal static class Must
{
    public static void ThrowOutOfRange(TestDelegate action, string parameter, string mentions)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(action);
        Assert.That(e.ParamName, Is.EqualTo(parameter));
        Assert.That(e.Message, Does.Contain(mentions));
    }

    public static void ThrowArgument(TestDelegate action, string parameter, string mentions)
    {
        var e = Assert.Throws<ArgumentException>(action);
        Assert.That(e.ParamName, Is.EqualTo(parameter));
        Assert.That(e.Message, Does.Contain(mentions));
    }
}
