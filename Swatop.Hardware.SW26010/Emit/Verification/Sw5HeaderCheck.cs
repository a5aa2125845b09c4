using System.Globalization;
using Swatop.Hardware.Sw26010.Emit.Shim;

namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>
/// The check that emitted C builds for the real machine as far as a host can tell: every C file the
/// emitted Makefile compiles with sw5cc is compiled by gcc, syntax and types only, with that rule's
/// defines and in that rule's C dialect (gnu89 when it names none, as sw5cc's CPE compiler), against
/// <see cref="Sw5Headers"/> in place of the real <c>slave.h</c>, <c>simd.h</c> and <c>athread.h</c>. The
/// compile is strict: <c>-pedantic -Wall -Wextra -Werror</c>, and in C89 <c>-Wdeclaration-after-statement</c>,
/// so a C99 loop declaration, a declaration after a statement, a missing include or declaration, or an
/// intrinsic the real headers do not offer for a type fails it. A C file of the kernel that no rule
/// compiles fails it too.
/// </summary>
internal static class Sw5HeaderCheck
{
    private const string HeaderFolder = "sw5-headers";

    private static readonly string[] StrictFlags = ["-fsyntax-only", "-pedantic", "-Wall", "-Wextra", "-Werror", "-Wno-psabi"];

    /// <summary>Compiles each C file of <paramref name="files"/> (name to text, a <c>Makefile</c> among them) as its Makefile rule says.</summary>
    /// <returns>The rules checked, in the Makefile's order.</returns>
    /// <exception cref="GccShimException">gcc is missing, the Makefile has no rule for a C file, or a file does not compile; the message names each file and quotes gcc.</exception>
    public static IReadOnlyList<MakefileCompile> Run(string kernel, IReadOnlyDictionary<string, string> files, GccShimOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kernel);
        ArgumentNullException.ThrowIfNull(files);
        options ??= GccShimOptions.Default;
        var directory = GccShim.WriteFolder("sw5-", kernel, files);

        var headers = Path.Combine(directory, HeaderFolder);
        Sw5Headers.WriteTo(headers);
        if (!files.TryGetValue(KernelFiles.Makefile, out var makefile))
        {
            throw new GccShimException(kernel, directory, $"the sources hold no {KernelFiles.Makefile}, so nothing says how sw5cc compiles them.");
        }

        IReadOnlyList<MakefileCompile> rules;
        try
        {
            rules = MakefileCompileRules.Parse(makefile);
        }
        catch (FormatException e)
        {
            throw new GccShimException(kernel, directory, $"the {KernelFiles.Makefile} cannot be read: {e.Message}");
        }

        var uncompiled = files.Keys.Where(f => f.EndsWith(".c", StringComparison.Ordinal) && f != AthreadShim.SourceFileName && rules.All(r => r.File != f)).Order(StringComparer.Ordinal).ToList();
        if (uncompiled.Count > 0)
        {
            throw new GccShimException(kernel, directory, $"no rule of the {KernelFiles.Makefile} compiles {string.Join(", ", uncompiled)} for the real machine.");
        }

        var compiler = GccShim.FindCompiler(options.Compiler, out var lookedFor)
            ?? throw new GccShimException(kernel, directory, $"gcc was not found (looked for {lookedFor}); install gcc or name a compiler in {GccShim.CompilerVariable}.");
        var failures = new List<string>();
        foreach (var rule in rules)
        {
            List<string> arguments = [$"-std={rule.EffectiveDialect}", .. StrictFlags, .. rule.IsC89 ? ["-Wdeclaration-after-statement"] : Array.Empty<string>(),
                "-isystem", headers, "-I", directory, .. rule.Defines, rule.File];
            var result = GccShim.Execute(compiler, arguments, directory, environment: null, TimeSpan.FromMinutes(2));
            if (result.TimedOut || result.ExitCode != 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{rule.File} ({rule.EffectiveDialect}, {(rule.Defines.Count == 0 ? "no defines" : string.Join(' ', rule.Defines))}; the Makefile's `{rule.Command}`) {(result.TimedOut ? "did not finish in 2 minutes" : "does not compile against the SW5 headers")}:{Environment.NewLine}{string.Join(' ', [compiler, .. arguments])}{Environment.NewLine}{GccShim.Clip(result.StandardError + result.StandardOutput)}"));
            }
        }

        if (failures.Count > 0)
        {
            throw new GccShimException(kernel, directory, string.Join(Environment.NewLine, failures));
        }

        Directory.Delete(directory, recursive: true);
        return rules;
    }
}
