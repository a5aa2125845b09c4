using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;
using Swatop.Primitives;
using static Swatop.Tests.Emulator.EmulatorHarness;

namespace Swatop.Tests.Emulator;

/// <summary>The chip description: the real chip's figures, what Validate refuses, and what-if chips that run.</summary>
public sealed class SpecTests
{
    public static IEnumerable<TestCaseData> BrokenSpecs
    {
        get
        {
            var d = Sw26010Spec.Default;
            yield return new TestCaseData(d with { CoreGroups = 0 }, "CoreGroups", "0");
            yield return new TestCaseData(d with { CoreGroups = 65 }, "CoreGroups", "65");
            yield return new TestCaseData(d with { MeshRows = 4 }, "MeshRows", "4");
            yield return new TestCaseData(d with { MeshColumns = 16 }, "MeshColumns", "16");
            yield return new TestCaseData(d with { ClockHz = 0 }, "ClockHz", "0");
            yield return new TestCaseData(d with { LdmBytes = 1024 }, "LdmBytes", "1024");
            yield return new TestCaseData(d with { LdmBytes = 65540 }, "LdmBytes", "65540");
            yield return new TestCaseData(d with { LdmPlanningBytes = 70 * 1024 }, "LdmPlanningBytes", "71680");
            yield return new TestCaseData(d with { SimdBits = 100 }, "SimdBits", "100");
            yield return new TestCaseData(d with { SimdLanes = 0 }, "SimdLanes", "0");
            yield return new TestCaseData(d with { FlopsPerCpeCycle = 0 }, "FlopsPerCpeCycle", "0");
            yield return new TestCaseData(d with { MemoryBytesPerCoreGroup = 1000 }, "MemoryBytesPerCoreGroup", "1000");
            yield return new TestCaseData(d with { DmaAlignmentBytes = 96 }, "DmaAlignmentBytes", "96");
            yield return new TestCaseData(d with { RlcFifoDepth = 0 }, "RlcFifoDepth", "0");
        }
    }

    [Test]
    public void TheDefaultIsTheRealChip()
    {
        var spec = Sw26010Spec.Default;
        Assert.That(spec.Validate, NUnit.Framework.Throws.Nothing);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.CoreGroups, Is.EqualTo(4));
            Assert.That(spec.CpesPerCoreGroup, Is.EqualTo(64));
            Assert.That(spec.LdmBytes, Is.EqualTo(64 * 1024));
            Assert.That(spec.ClockHz, Is.EqualTo(1.45e9));
            Assert.That(spec.SimdLanes, Is.EqualTo(4));
            Assert.That(spec.RlcFifoDepth, Is.EqualTo(4));
            Assert.That(spec.CoreGroupPeakFlops, Is.EqualTo(742.4e9).Within(1e3));
            Assert.That(spec.ChipPeakFlops, Is.EqualTo(4 * 742.4e9).Within(1e3));
        }
    }

    [TestCaseSource(nameof(BrokenSpecs))]
    public void ValidateNamesTheBrokenProperty(Sw26010Spec spec, string property, string value)
    {
        var error = Assert.Throws<ArgumentException>(spec.Validate);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ParamName, Is.EqualTo(property));
            Assert.That(error.Message, Does.Contain($"Sw26010Spec.{property} = {value} "));
        }

        var fromChip = Assert.Throws<ArgumentException>(() => _ = new Sw26010Chip(spec));
        Assert.That(fromChip!.ParamName, Is.EqualTo(property), "a chip is never built from a broken spec");
    }

    [TestCase(0)]
    [TestCase(2000)]
    public void BrokenEmulatorOptionsNameTheValue(int hostThreads)
    {
        var options = EmulatorOptions.Default with { HostThreads = hostThreads };
        var error = Assert.Throws<ArgumentException>(() => _ = new Sw26010Chip(options: options));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.ParamName, Is.EqualTo("HostThreads"));
            Assert.That(error.Message, Does.Contain($"HostThreads = {hostThreads}"));
        }
    }

    [Test]
    public void AWhatIfChipWithSixGroupsAndLargerLdmRunsAProgram()
    {
        const int Floats = 50 * 1024; // 200 KB: fits 256 KB, not 64 KB
        var spec = Sw26010Spec.Default with { LdmBytes = 256 * 1024, CoreGroups = 6 };
        var chip = new Sw26010Chip(spec, EmulatorOptions.Default);
        Assert.That(chip.CoreGroups, Has.Count.EqualTo(6));

        var inputs = new List<GlobalBuffer>();
        var outputs = new List<GlobalBuffer>();
        foreach (var group in chip.CoreGroups)
        {
            var input = group.Memory.Allocate<float>("input", Floats);
            group.Mpe.Run("ramp", _ =>
            {
                var values = input.AsSpan<float>();
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (group.Index * 1000) + (i % 997);
                }
            });
            inputs.Add(input);
            outputs.Add(group.Memory.Allocate<float>("output", 64 * 4));
        }

        CpeProgram Program(CoreGroup group) => async cpe =>
        {
            var big = cpe.Ldm.Allocate("big", ElementType.Float32, Floats);
            var reply = cpe.CreateReplyWord("reply");
            cpe.DmaGet(big.All, inputs[group.Index].At(0), reply);
            await cpe.DmaWait(reply, 1);
            var values = cpe.Ldm.Floats(big.All);
            var sample = cpe.Ldm.Allocate("sample", ElementType.Float32, 4);
            var samples = cpe.Ldm.Floats(sample.All);
            (samples[0], samples[1], samples[2], samples[3]) = (values[0], values[Floats - 1], values[cpe.IdInGroup * 700], cpe.IdInGroup);
            cpe.DmaPut(sample.All, outputs[group.Index].AtElement<float>(cpe.IdInGroup * 4), reply);
            await cpe.DmaWait(reply, 2);
        };

        var report = chip.Run(Program);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.CoreGroups, Has.Count.EqualTo(6));
            Assert.That(report.Total.DmaGetBytes, Is.EqualTo(6L * 64 * Floats * 4));
            Assert.That(chip.CoreGroups[5].LdmOf(7, 7).HighWaterBytes, Is.EqualTo((Floats * 4) + 16));
            for (var g = 0; g < 6; g++)
            {
                var output = outputs[g].AsSpan<float>();
                for (var id = 0; id < 64; id++)
                {
                    float[] expected = [g * 1000, (g * 1000) + ((Floats - 1) % 997), (g * 1000) + (id * 700 % 997), id];
                    Assert.That(output.Slice(id * 4, 4).ToArray(), Is.EqualTo(expected), $"{Name(id / 8, id % 8, g)}");
                }
            }
        }

        // The same program does not fit the real chip's LDM.
        var real = new Sw26010Chip(Sw26010Spec.Default with { CoreGroups = 1 }, EmulatorOptions.Sequential);
        inputs[0] = real.CoreGroups[0].Memory.Allocate<float>("input", Floats);
        outputs[0] = real.CoreGroups[0].Memory.Allocate<float>("output", 64 * 4);
        Throws<EmulatorException>(() => real.Run(Program), EmulatorDiagnostics.LdmCapacityExceeded, Name(0, 0), "'big'", "204800 bytes", "65536");
    }
}
