using Swatop.Hardware.Sw26010;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Tests.Emulator;

/// <summary>Small helpers the emulator tests share: chips, single-CPE programs, seeded data, bit views, error checks.</summary>
internal static class EmulatorHarness
{
    /// <summary>The two host modes; every result must be the same in both.</summary>
    public static IEnumerable<EmulatorOptions> Modes =>
    [
        EmulatorOptions.Sequential,
        EmulatorOptions.Default with { HostThreads = 3 },
    ];

    /// <summary>A chip of <paramref name="groups"/> core groups (the real chip's other figures), sequential unless told.</summary>
    public static Sw26010Chip Chip(int groups = 1, EmulatorOptions? options = null) =>
        new(Sw26010Spec.Default with { CoreGroups = groups }, options ?? EmulatorOptions.Sequential);

    /// <summary>The only core group of a one-group chip.</summary>
    public static CoreGroup Group(EmulatorOptions? options = null) => Chip(1, options).CoreGroups[0];

    /// <summary>A buffer of <paramref name="group"/>'s memory holding <paramref name="values"/> as <paramref name="type"/> (narrowed for float).</summary>
    public static GlobalBuffer Buffer(CoreGroup group, string name, Swatop.Primitives.ElementType type, double[] values)
    {
        if (type == Swatop.Primitives.ElementType.Float32)
        {
            var single = group.Memory.Allocate<float>(name, values.Length);
            values.Select(v => (float)v).ToArray().CopyTo(single.AsSpan<float>());
            return single;
        }

        var buffer = group.Memory.Allocate<double>(name, values.Length);
        values.CopyTo(buffer.AsSpan<double>());
        return buffer;
    }

    /// <summary>The elements of <paramref name="buffer"/>, which holds <paramref name="type"/>, widened to double.</summary>
    public static double[] Widened(GlobalBuffer buffer, Swatop.Primitives.ElementType type) =>
        type == Swatop.Primitives.ElementType.Float32 ? [.. buffer.AsSpan<float>().ToArray().Select(v => (double)v)] : buffer.AsSpan<double>().ToArray();

    /// <summary>How every emulator message names a CPE.</summary>
    public static string Name(int row, int column, int group = 0) => $"CPE ({row}, {column}) of CG {group}";

    /// <summary>A program in which only the CPE at (<paramref name="row"/>, <paramref name="column"/>) does anything.</summary>
    public static CpeProgram On(int row, int column, Action<ICpe> body) => cpe =>
    {
        if (cpe.Id.Row == row && cpe.Id.Column == column)
        {
            body(cpe);
        }

        return ValueTask.CompletedTask;
    };

    public static double[] RandomDoubles(int seed, int count)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }

        return values;
    }

    public static float[] RandomFloats(int seed, int count)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return values;
    }

    public static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }

    public static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        }

        return bits;
    }

    /// <summary>
    /// Runs <paramref name="action"/>, which must throw <typeparamref name="TException"/> with
    /// <paramref name="id"/>; the message must start with the id and contain every one of
    /// <paramref name="mentions"/> (the CPE, the buffer, the sizes).
    /// </summary>
    public static TException Throws<TException>(TestDelegate action, string id, params string[] mentions)
        where TException : EmulatorException
    {
        var error = Assert.Throws<TException>(action)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Id, Is.EqualTo(id));
            Assert.That(error.Message, Does.StartWith(id + ": "));
            foreach (var mention in mentions)
            {
                Assert.That(error.Message, Does.Contain(mention));
            }
        }

        return error;
    }
}
