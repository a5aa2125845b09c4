namespace Swatop.Hardware.Sw26010.Emit.Shim;

/// <summary>
/// The host verification shim: a C header and its implementation that run athread C on an ordinary
/// Linux host with gcc (one thread per CPE, bounds-checked 64 KB LDM arenas, DMA as strided copies
/// with reply words, register communication as bounded blocking FIFOs, <c>athread_syn</c> as
/// barriers, the SIMD types as GCC vectors) and count what every CPE does. Emitted files include
/// <see cref="IncludeFileName"/> only; defining <see cref="HostShimMacro"/> selects the shim, and
/// without it the same files build with <c>sw5cc</c> against the real athread headers.
/// </summary>
/// <remarks>The files are embedded in this assembly; <c>README.md</c> beside them in the repository lists the subset and its semantics.</remarks>
public static class AthreadShim
{
    /// <summary>The header emitted files include, on the host and on the real machine.</summary>
    public const string IncludeFileName = "swatop_athread.h";

    /// <summary>The shim's declarations, included by <see cref="IncludeFileName"/> in a host build.</summary>
    public const string HeaderFileName = "athread_shim.h";

    /// <summary>The shim's implementation, compiled and linked into a host build.</summary>
    public const string SourceFileName = "athread_shim.c";

    /// <summary>The macro (<c>-DSWATOP_HOST_SHIM</c>) that selects the shim instead of the real athread headers.</summary>
    public const string HostShimMacro = "SWATOP_HOST_SHIM";

    /// <summary>The environment variable naming the file a host build writes its per-CPE counts to (CSV, see <see cref="ShimCounts"/>) when it exits.</summary>
    public const string CountsEnvironmentVariable = "SWATOP_SHIM_COUNTS";

    /// <summary>The shim's files, in the order a build needs them.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [IncludeFileName, HeaderFileName, SourceFileName];

    private static readonly EmbeddedTextFiles Files = new("Swatop.Hardware.Sw26010.Emit.Shim.", "the athread shim", FileNames);

    /// <summary>The text of one of the <see cref="FileNames"/>.</summary>
    /// <exception cref="ArgumentException">When <paramref name="fileName"/> is not one of them.</exception>
    public static string Text(string fileName) => Files.Text(fileName);

    /// <summary>Writes the files into <paramref name="directory"/> (created if needed), next to emitted files.</summary>
    /// <returns>The full paths written, in the order of <see cref="FileNames"/>.</returns>
    public static IReadOnlyList<string> WriteTo(string directory) => Files.WriteTo(directory);
}
