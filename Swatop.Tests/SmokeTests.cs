namespace Swatop.Tests;

public sealed class SmokeTests
{
    [Test]
    public void ElementTypesAreDistinct() =>
        Assert.That(Primitives.ElementType.Float32, Is.Not.EqualTo(Primitives.ElementType.Float64));
}
