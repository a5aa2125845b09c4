namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// A host build of athread C could not be made or run as expected: gcc is missing, the compile
/// failed, the program failed, timed out or its result did not match. Names the kernel and the
/// folder where its files are kept for inspection.
/// </summary>
internal sealed class GccShimException : Exception
{
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
