namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// Compile-only stand-ins for the headers of the SW26010's <c>sw5cc</c>: <c>slave.h</c> and <c>simd.h</c>
/// of the CPE side, <c>athread.h</c> of the MPE side, and <c>mpi.h</c> of TaihuLight's <c>mpicc</c>, which builds
/// the MPE files for the one-rank-per-core-group launch. Each declares the public interface the emitted C
/// may use with the real spellings and types, and nothing more, so that <see cref="Sw5HeaderCheck"/>
/// fails on a wrong include, a name the real headers do not declare (the LDM allocator, which the
/// emitted code must declare itself) or an intrinsic applied to a type the real one does not take
/// (<c>simd_vmad</c> is for <c>doublev4</c>, <c>simd_vmas</c> for <c>floatv4</c>). They are embedded in this
/// assembly; nothing in them runs.
/// </summary>
public static class Sw5Headers
{
    /// <summary>The stand-ins' file names.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["slave.h", "simd.h", "athread.h", "mpi.h"];

    private static readonly EmbeddedTextFiles Files = new("Swatop.Hardware.Sw26010.Emit.Verification.Sw5Headers.", "the SW5 header stand-ins", FileNames);

    /// <summary>The text of one of the <see cref="FileNames"/>.</summary>
    /// <exception cref="ArgumentException">When <paramref name="fileName"/> is not one of them.</exception>
    public static string Text(string fileName) => Files.Text(fileName);

    /// <summary>Writes the files into <paramref name="directory"/> (created if needed), the folder a check passes to gcc as a system include folder.</summary>
    /// <returns>The full paths written, in the order of <see cref="FileNames"/>.</returns>
    public static IReadOnlyList<string> WriteTo(string directory) => Files.WriteTo(directory);
}
