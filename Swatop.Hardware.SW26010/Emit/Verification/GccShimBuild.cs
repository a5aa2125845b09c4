using System.Globalization;
using System.Runtime.InteropServices;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Emulation;

namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// A compiled host build of one kernel: runs it, compares what it produced, and deletes its folder
/// when disposed, unless something went wrong, in which case the folder stays for inspection and
/// the <see cref="GccShimException"/> says where.
/// </summary>
internal sealed class GccShimBuild : IDisposable
{
    private const string CountsFileName = "counts.csv";
    private bool _keep;

    internal GccShimBuild(string kernel, string directory, string executable, GccShimOptions options)
    {
        Kernel = kernel;
        Directory = directory;
        Executable = executable;
        Options = options;
    }

    /// <summary>The kernel's name, used in every message.</summary>
    public string Kernel { get; }

    /// <summary>The folder holding the sources, the program and what its runs write.</summary>
    public string Directory { get; }

    /// <summary>The compiled program.</summary>
    public string Executable { get; }

    /// <summary>How it was built and is run.</summary>
    public GccShimOptions Options { get; }

    /// <summary>A file of the build's folder.</summary>
    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>Runs the program, which must exit with 0 (and, sanitized, print nothing to stderr).</summary>
    public GccShimRun Run(params string[] arguments)
    {
        var run = Execute(arguments);
        if (run.ExitCode != 0)
        {
            throw Failure(string.Create(CultureInfo.InvariantCulture, $"the program ({Describe(arguments)}) failed with exit code {run.ExitCode}."), run);
        }

        if (Options.Sanitize && run.StandardError.Length > 0)
        {
            throw Failure($"the sanitizers reported on the program ({Describe(arguments)}).", run);
        }

        return run;
    }

    /// <summary>Runs the program, which must fail; returns how it failed.</summary>
    public GccShimRun RunExpectingFailure(params string[] arguments)
    {
        var run = Execute(arguments);
        return run.ExitCode != 0 ? run : throw Failure($"the program ({Describe(arguments)}) succeeded but should have failed.", run);
    }

    /// <summary>Reads doubles the program wrote to a file of its folder.</summary>
    public double[] ReadDoubles(string fileName) => MemoryMarshal.Cast<byte, double>(ReadBytes(fileName)).ToArray();

    /// <summary>Reads bytes the program wrote to a file of its folder.</summary>
    public byte[] ReadBytes(string fileName)
    {
        var path = PathOf(fileName);
        return File.Exists(path) ? File.ReadAllBytes(path) : throw Mismatch($"the program did not write {fileName}.");
    }

    /// <summary>Writes doubles to a file of the folder for the program to read.</summary>
    public void WriteDoubles(string fileName, ReadOnlySpan<double> values) => File.WriteAllBytes(PathOf(fileName), MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Checks <paramref name="actual"/> bit for bit against <paramref name="expected"/>; a difference throws, naming the first few.</summary>
    public void CompareBits(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw Mismatch(string.Create(CultureInfo.InvariantCulture, $"{what} has {actual.Length} values, the reference {expected.Length}."));
        }

        var differences = new List<string>();
        var count = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]) && count++ < 5)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"[{i}] is {actual[i]:R}, the reference {expected[i]:R}"));
            }
        }

        if (count > 0)
        {
            throw Mismatch(string.Create(CultureInfo.InvariantCulture, $"{what} differs from the reference in {count} of {expected.Length} values: {string.Join("; ", differences)}."));
        }
    }

    /// <summary>
    /// Checks the run's per-CPE counts against the emulator's for the same kernel; a difference throws, naming the
    /// first few. <paramref name="simd"/>: whether the SIMD instructions count too (<see cref="ShimCounts.Differences"/>).
    /// </summary>
    public void CompareCounts(GccShimRun run, IReadOnlyList<CpeActivity> emulator, bool simd = true)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Counts.Count == 0)
        {
            throw Mismatch("the program wrote no counts.");
        }

        var differences = ShimCounts.Differences(run.Counts, emulator, simd);
        if (differences.Count > 0)
        {
            throw Mismatch(string.Create(CultureInfo.InvariantCulture,
                $"the shim's counts differ from the emulator's in {differences.Count} places: {string.Join("; ", differences.Take(8))}."));
        }
    }

    /// <summary>A mismatch found by the caller: keeps the folder and names the kernel.</summary>
    public GccShimException Mismatch(string message)
    {
        _keep = true;
        return new GccShimException(Kernel, Directory, message);
    }

    /// <summary>Deletes the folder unless a failure asked to keep it.</summary>
    public void Dispose()
    {
        if (!_keep && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private GccShimRun Execute(string[] arguments)
    {
        var counts = PathOf(CountsFileName);
        File.Delete(counts);
        var environment = new Dictionary<string, string> { [AthreadShim.CountsEnvironmentVariable] = counts };
        var result = GccShim.Execute(Executable, arguments, Directory, environment, Options.RunTimeout);
        if (result.TimedOut)
        {
            _keep = true;
            throw new GccShimException(Kernel, Directory, string.Create(CultureInfo.InvariantCulture,
                $"the program ({Describe(arguments)}) did not finish in {Options.RunTimeout.TotalSeconds} s and was killed; a CPE may spin on a reply word that never arrives.{Environment.NewLine}{GccShim.Clip(result.StandardError)}"));
        }

        var parsed = File.Exists(counts) ? ShimCounts.Parse(File.ReadAllText(counts)) : [];
        return new GccShimRun(result.ExitCode, result.StandardOutput, result.StandardError, parsed);
    }

    private GccShimException Failure(string message, GccShimRun run)
    {
        _keep = true;
        return new GccShimException(Kernel, Directory,
            $"{message}{Environment.NewLine}stderr:{Environment.NewLine}{GccShim.Clip(run.StandardError)}{Environment.NewLine}stdout:{Environment.NewLine}{GccShim.Clip(run.StandardOutput)}");
    }

    private static string Describe(string[] arguments) => arguments.Length == 0 ? "no arguments" : $"arguments {string.Join(' ', arguments)}";
}
