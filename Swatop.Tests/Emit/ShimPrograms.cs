using Swatop.Hardware.Sw26010.Emit.Verification;

namespace Swatop.Tests.Emit;

/// <summary>The hand-written athread programs of the shim tests (<c>Emit/Programs</c>, embedded in the test assembly).</summary>
internal static class ShimPrograms
{
    /// <summary>The named program files, name to text, ready for <see cref="GccShim.Build"/>.</summary>
    public static IReadOnlyDictionary<string, string> Files(params string[] names) =>
        names.ToDictionary(name => name, Text, StringComparer.Ordinal);

    /// <summary>The text of one program file.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(ShimPrograms).Assembly.GetManifestResourceStream($"Swatop.Tests.Emit.Programs.{name}")
            ?? throw new ArgumentException($"No test program '{name}' is embedded.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
