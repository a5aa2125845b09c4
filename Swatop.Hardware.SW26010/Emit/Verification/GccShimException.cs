namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// A host build of athread C could not be made or run as expected: gcc is missing, the compile
/// failed, the program failed, timed out or its result did not match. Names the kernel and the
/// folder where its files are kept for inspection.
/// </summary>
public sealed class GccShimException : Exception
{
    /// <summary>An error of <paramref name="kernel"/>'s host build, whose files are kept in <paramref name="directory"/>.</summary>
    /// <param name="kernel">The kernel being built or run.</param>
    /// <param name="directory">The folder holding its files.</param>
    /// <param name="message">What went wrong.</param>
    public GccShimException(string kernel, string directory, string message)
        : base($"Kernel '{kernel}': {message}{Environment.NewLine}Its files are kept in {directory}")
    {
        Kernel = kernel;
        Directory = directory;
    }

    /// <summary>The kernel being built or run.</summary>
    public string Kernel { get; }

    /// <summary>The folder holding its files.</summary>
    public string Directory { get; }
}
