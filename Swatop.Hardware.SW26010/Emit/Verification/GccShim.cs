using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Swatop.Hardware.Sw26010.Emit.Shim;

namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// Builds athread C against the host verification shim with the system's gcc: writes the files
/// and the shim into a fresh folder under the temporary directory, compiles them with
/// <c>-O2 -Wall -Wextra -Werror -pthread -DSWATOP_HOST_SHIM</c> and hands back the program to run.
/// A missing gcc or a failing compile throws a <see cref="GccShimException"/> naming the kernel
/// and keeping the folder.
/// </summary>
/// <remarks>
/// The shim's own object file is compiled once per compiler, flags and shim text and kept in a
/// cache folder beside the builds, which makes a build of a small kernel take a tenth of a second.
/// </remarks>
internal static class GccShim
{
    /// <summary>The environment variable that names the compiler when the options do not.</summary>
    public const string CompilerVariable = "SWATOP_GCC";

    private const string ExecutableName = "kernel";

    /// <summary>Flags of every build. <c>-Wno-psabi</c> only quiets the note about passing 32-byte vectors without AVX; <c>-ffp-contract=off</c> keeps gcc from fusing what the kernel did not fuse.</summary>
    private static readonly string[] CommonFlags = ["-O2", "-Wall", "-Wextra", "-Werror", "-Wno-psabi", "-ffp-contract=off", "-pthread", $"-D{AthreadShim.HostShimMacro}"];

    private static readonly string[] SanitizerFlags = ["-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"];

    /// <summary>Writes <paramref name="files"/> (name to text) and the shim into a new folder and compiles every <c>.c</c> file among them into one program, with the shim's object from the cache (a copy of the shim's source among the files is not compiled again).</summary>
    public static GccShimBuild Build(string kernel, IReadOnlyDictionary<string, string> files, GccShimOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kernel);
        ArgumentNullException.ThrowIfNull(files);
        options ??= GccShimOptions.Default;
        var directory = WriteFolder(string.Empty, kernel, files);
        AthreadShim.WriteTo(directory);

        var compiler = FindCompiler(options.Compiler, out var lookedFor)
            ?? throw new GccShimException(kernel, directory,
                $"gcc was not found (looked for {lookedFor}); install gcc or name a compiler in {CompilerVariable}.");

        List<string> flags = [.. CommonFlags, .. options.Sanitize ? SanitizerFlags : []];
        var shimObject = ShimObject(kernel, directory, compiler, flags);
        Compile(kernel, directory, compiler,
            [.. flags, "-I", directory, .. files.Keys.Where(f => f.EndsWith(".c", StringComparison.Ordinal) && f != AthreadShim.SourceFileName).Order(StringComparer.Ordinal), shimObject, "-o", ExecutableName, "-lm"]);
        return new GccShimBuild(kernel, directory, Path.Combine(directory, ExecutableName), options);
    }

    /// <summary>The shim compiled with <paramref name="flags"/>: from the cache, or compiled in <paramref name="directory"/> and cached.</summary>
    private static string ShimObject(string kernel, string directory, string compiler, IReadOnlyList<string> flags)
    {
        // The compiler's file time stands for its version: an upgraded gcc compiles the shim afresh.
        var stamp = File.GetLastWriteTimeUtc(compiler).Ticks.ToString(CultureInfo.InvariantCulture);
        var key = new StringBuilder().AppendJoin('\n', [compiler, stamp, .. flags]);
        foreach (var name in AthreadShim.FileNames)
        {
            key.Append('\n').Append(AthreadShim.Text(name));
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16];
        var cache = Path.Combine(Path.GetTempPath(), "swatop-shim", "cache");
        var cached = Path.Combine(cache, $"athread_shim-{hash}.o");
        if (File.Exists(cached))
        {
            return cached;
        }

        const string local = "athread_shim.o";
        Compile(kernel, directory, compiler, [.. flags, "-c", AthreadShim.SourceFileName, "-o", local]);
        Directory.CreateDirectory(cache);
        var temporary = $"{cached}.{Guid.NewGuid():N}.tmp";
        File.Copy(Path.Combine(directory, local), temporary);
        File.Move(temporary, cached, overwrite: true); // a rename: whole or absent for a concurrent build
        return cached;
    }

    private static void Compile(string kernel, string directory, string compiler, IReadOnlyList<string> arguments)
    {
        var result = Execute(compiler, arguments, directory, environment: null, TimeSpan.FromMinutes(2));
        if (result.TimedOut || result.ExitCode != 0)
        {
            var outcome = result.TimedOut ? "did not finish in 2 minutes" : string.Create(CultureInfo.InvariantCulture, $"failed with exit code {result.ExitCode}");
            throw new GccShimException(kernel, directory,
                $"the compile {outcome}.{Environment.NewLine}{CommandLine(compiler, arguments)}{Environment.NewLine}{Clip(result.StandardError + result.StandardOutput)}");
        }
    }

    /// <summary>The compiler to use, or null with what was looked for.</summary>
    internal static string? FindCompiler(string? requested, out string lookedFor)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(CompilerVariable);
        var name = requested ?? (string.IsNullOrEmpty(fromEnvironment) ? "gcc" : fromEnvironment);
        if (name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            lookedFor = $"'{name}'";
            return File.Exists(name) ? name : null;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        lookedFor = $"'{name}' on the PATH ({directories.Length} folders)";
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a process to the end or the timeout (then kills it) and collects its output.</summary>
    internal static ProcessResult Execute(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessResult(-1, output.Result, error.Result, TimedOut: true);
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.Result, error.Result, TimedOut: false);
    }

    internal static string Clip(string text, int limit = 6000) =>
        text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit), $"{Environment.NewLine}... ({text.Length - limit} more characters)");

    private static string CommandLine(string compiler, IEnumerable<string> arguments) => string.Join(' ', [compiler, .. arguments]);

    /// <summary>A new folder under the temporary folder, named for <paramref name="kernel"/> after <paramref name="prefix"/>, holding <paramref name="files"/> (name to text).</summary>
    /// <returns>The folder's path.</returns>
    internal static string WriteFolder(string prefix, string kernel, IReadOnlyDictionary<string, string> files)
    {
        var directory = Path.Combine(Path.GetTempPath(), "swatop-shim", $"{prefix}{Safe(kernel)}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        return directory;
    }

    /// <summary>The kernel's label as a folder name: letters, digits, '-' and '_', anything else '_'.</summary>
    internal static string Safe(string kernel) => new([.. kernel.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);

    /// <summary>How a process ended.</summary>
    internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut);
}
