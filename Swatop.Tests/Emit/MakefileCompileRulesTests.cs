using Swatop.Hardware.Sw26010.Emit.Verification;

namespace Swatop.Tests.Emit;

/// <summary>The compile rules of a Makefile are read with their variables expanded, so a check compiles each file as the Makefile says; a variable that is unset or refers to itself is an error.</summary>
public sealed class MakefileCompileRulesTests
{
    [Test]
    public void Each_compile_line_gives_its_file_defines_and_dialect()
    {
        const string Makefile = "CC = sw5cc\nSLAVE = $(CC) -slave\nFLAGS = -O2 -std=gnu99\nDEFS = -DA -DB=2\n\nall: x\n\nx.o: x.c\n\t$(SLAVE) $(FLAGS) $(DEFS) -UC -c x.c -o x.o\n\ny.o: y.c\n\t$(CC) -host -c y.c -o y.o\n\nlink: x.o y.o\n\t$(CC) -hybrid x.o y.o -o z\n";
        var rules = MakefileCompileRules.Parse(Makefile);
        Assert.That(rules, Has.Count.EqualTo(2));
        Assert.That(rules[0], Is.EqualTo(new MakefileCompile("x.c", "sw5cc -slave -O2 -std=gnu99 -DA -DB=2 -UC -c x.c -o x.o", rules[0].Defines, "gnu99")));
        Assert.That(rules[0].Defines, Is.EqualTo(new[] { "-DA", "-DB=2", "-UC" }));
        Assert.That((rules[0].IsC89, rules[1].IsC89), Is.EqualTo((false, true)));
        Assert.That((rules[1].File, rules[1].Dialect, rules[1].EffectiveDialect, rules[1].Defines.Count), Is.EqualTo(("y.c", (string?)null, "gnu89", 0)));
    }

    [TestCase("x.o: x.c\n\t$(CC) -c x.c\n", "uses $(CC), which it does not set")]
    [TestCase("A = $(B)\nB = $(A)\nx.o: x.c\n\t$(A) -c x.c\n", "refers to itself")]
    public void A_variable_that_cannot_be_expanded_is_an_error(string makefile, string expected)
    {
        var error = Assert.Throws<FormatException>(() => MakefileCompileRules.Parse(makefile));
        Assert.That(error.Message, Does.Contain(expected));
    }
}
