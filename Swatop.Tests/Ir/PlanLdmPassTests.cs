using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

public class PlanLdmPassTests
{
    [Test]
    public void Buffers_are_placed_in_order_each_aligned()
    {
        var actual = IrText.Run(new PlanLdmPass(), IrText.Kernel("buffer a[3] x2\nbuffer b[5]\nbuffer c[8]", ""));
        IrText.AssertSame(actual, IrText.Kernel("buffer a[3] x2 @0\nbuffer b[5] @32\nbuffer c[8] @64", ""));
    }

    [Test]
    public void Alignment_and_element_size_come_from_the_context_and_the_kernel()
    {
        var kernel = IrParser.ParseKernel("kernel k float64\nbuffer a[3]\nbuffer b[1]\nbody {\n}\n");
        var planned = new PlanLdmPass().Run(kernel, IrText.Context with { LdmAlignmentBytes = 64 });
        Assert.That(planned.Buffers.Select(b => b.Offset), Is.EqualTo(new long[] { 0, 64 }));
    }

    [Test]
    public void A_plan_over_budget_names_every_buffer_the_total_and_the_budget()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel("buffer a[4096] x2\nbuffer w[2048] x2\nbuffer c[2048]", ""));
        var e = Assert.Throws<IrException>(() => new PlanLdmPass().Run(kernel, IrText.Context));
        Assert.That(e.Id, Is.EqualTo(IrDiagnostics.LdmBudgetExceeded));
        Assert.That(e.Message, Does.Contain(
            "LDM plan of kernel 'k' needs 57,344 bytes (a: 2 x 16,384, w: 2 x 8,192, c: 8,192) but the budget is 56,320 bytes"));
    }

    [Test]
    public void A_placed_kernel_comes_back_as_the_same_instance()
    {
        var kernel = IrParser.ParseKernel(IrText.Kernel("buffer a[8] @0\nbuffer b[8] @32", ""));
        Assert.That(new PlanLdmPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }
}
