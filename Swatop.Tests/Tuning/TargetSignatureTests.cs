using System.Reflection;
using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Hardware.Sw26010.Target;
using Swatop.Hardware.Sw26010.Timing;

namespace Swatop.Tests.Tuning;

/// <summary>The target signature: stable for the same figures, different when any figure that affects timing differs.</summary>
public sealed class TargetSignatureTests
{
    [Test]
    public void The_real_chips_signature_is_readable_and_the_same_for_every_target_built_from_it()
    {
        var signature = Sw26010Target.Default.Signature;
        Assert.Multiple(() =>
        {
            Assert.That(signature, Does.Match("^sw26010 cg=4 ldm=65536/56320 sha256=[0-9a-f]{16}$"));
            Assert.That(new Sw26010Target().Signature, Is.EqualTo(signature));
            Assert.That(new Sw26010Target(Sw26010Spec.Default with { }).Signature, Is.EqualTo(signature));
        });
    }

    [Test]
    public void The_real_chips_signature_is_the_same_in_every_run_and_on_every_host()
    {
        // A golden value: it changes only when the spec's values or the canonical list change, and
        // then every record tuned before no longer matches, which the change must mean to do.
        Assert.That(Sw26010Target.Default.Signature, Is.EqualTo(GoldenSignature));
    }

    [Test]
    public void The_emulator_options_do_not_change_the_signature()
    {
        var sequential = new Sw26010Target(options: EmulatorOptions.Sequential);
        Assert.That(sequential.Signature, Is.EqualTo(Sw26010Target.Default.Signature));
    }

    private static IEnumerable<TestCaseData> Changes()
    {
        var spec = Sw26010Spec.Default;
        var timing = spec.Timing;
        yield return new TestCaseData(spec with { CoreGroups = 2 }).SetArgDisplayNames("CoreGroups");
        yield return new TestCaseData(spec with { ClockHz = 1.5e9 }).SetArgDisplayNames("ClockHz");
        yield return new TestCaseData(spec with { LdmBytes = 128 * 1024 }).SetArgDisplayNames("LdmBytes");
        yield return new TestCaseData(spec with { LdmPlanningBytes = 54 * 1024 }).SetArgDisplayNames("LdmPlanningBytes");
        yield return new TestCaseData(spec with { DmaAlignmentBytes = 64 }).SetArgDisplayNames("DmaAlignmentBytes");
        yield return new TestCaseData(spec with { RlcFifoDepth = 8 }).SetArgDisplayNames("RlcFifoDepth");
        yield return new TestCaseData(spec with { Timing = timing with { GemmBlockOverheadCycles = 101 } }).SetArgDisplayNames("Timing.GemmBlockOverheadCycles");
        yield return new TestCaseData(spec with { Timing = timing with { SpawnCycles = 14_500.5 } }).SetArgDisplayNames("Timing.SpawnCycles");
        yield return new TestCaseData(spec with { Timing = timing with { TransposeCyclesPerBlock = 8 } }).SetArgDisplayNames("Timing.TransposeCyclesPerBlock");
        yield return new TestCaseData(spec with { Timing = timing with { Dma = timing.Dma with { LatencyNanoseconds = 251 } } }).SetArgDisplayNames("Timing.Dma.LatencyNanoseconds");
        yield return new TestCaseData(spec with { Timing = timing with { Dma = timing.Dma with { GetNanosecondsPerByte = timing.Dma.GetNanosecondsPerByte * (1 + 1e-15) } } }).SetArgDisplayNames("Timing.Dma.GetNanosecondsPerByte by one ulp");
    }

    [TestCaseSource(nameof(Changes))]
    public void Changing_a_spec_value_changes_the_signature(Sw26010Spec changed)
    {
        Assert.That(new Sw26010Target(changed).Signature, Is.Not.EqualTo(Sw26010Target.Default.Signature));
    }

    [Test]
    public void Every_settable_value_of_the_spec_its_timing_and_its_dma_model_is_in_the_canonical_list()
    {
        var names = Sw26010Target.CanonicalText(Sw26010Spec.Default)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)])
            .ToHashSet();
        IEnumerable<string> Settable(Type type, string prefix) => type
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.PropertyType != typeof(Sw26010Timing) && p.PropertyType != typeof(DmaTimingModel))
            .Select(p => prefix + p.Name);
        var expected = Settable(typeof(Sw26010Spec), "")
            .Concat(Settable(typeof(Sw26010Timing), "Timing."))
            .Concat(Settable(typeof(DmaTimingModel), "Timing.Dma."))
            .ToList();

        Assert.That(names, Is.EquivalentTo(expected));
    }

    private const string GoldenSignature = "sw26010 cg=4 ldm=65536/56320 sha256=b55cb409a18176fc";
}
