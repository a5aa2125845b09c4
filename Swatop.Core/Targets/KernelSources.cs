using System.Collections.Immutable;

namespace Swatop.Core.Targets;

/// <summary>
/// The source files a target emits for a compiled kernel (for the SW26010: host and CPE files, the
/// primitive library, a Makefile and a README): file name to text, ordered by name (ordinal).
/// Immutable; <see cref="WriteTo"/> puts them in a folder.
/// </summary>
public sealed class KernelSources
{
    private readonly ImmutableSortedDictionary<string, string> _files;

    /// <summary>The files, name to text.</summary>
    /// <exception cref="ArgumentException">A name is empty, holds a folder separator or a character file systems refuse, or is <c>.</c> or <c>..</c>; the message names it.</exception>
    public KernelSources(IEnumerable<KeyValuePair<string, string>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in files)
        {
            CheckName(name, nameof(files));
            ArgumentNullException.ThrowIfNull(text, nameof(files));
            if (!builder.TryAdd(name, text))
            {
                throw new ArgumentException($"File '{name}' is given twice; every file name of a kernel's sources is unique.", nameof(files));
            }
        }

        _files = builder.ToImmutable();
    }

    /// <summary>No files.</summary>
    public static KernelSources Empty { get; } = new([]);

    /// <summary>The files, name to text, ordered by name.</summary>
    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>The file names, ordered.</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>How many files.</summary>
    public int Count => _files.Count;

    /// <summary>The text of file <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No file has that name; the message lists the files.</exception>
    public string this[string name] => _files.TryGetValue(name, out var text) ? text
        : throw new KeyNotFoundException($"The sources hold no file '{name}'; they hold {string.Join(", ", _files.Keys)}.");

    /// <summary>The same files with <paramref name="name"/> added or replaced.</summary>
    public KernelSources With(string name, string text) => new(_files.SetItem(name, text));

    /// <summary>
    /// Writes every file into <paramref name="folder"/> (created if needed), replacing files of the
    /// same names. Each file is written under a temporary name in the folder and then renamed, so a
    /// reader never sees a half-written file and a failure leaves no partial file behind.
    /// </summary>
    /// <returns>The full paths written, in the order of <see cref="Names"/>.</returns>
    /// <exception cref="IOException">The folder cannot be created or a file cannot be written; the message names the folder and the file.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or a file may not be written; the message names it.</exception>
    public IReadOnlyList<string> WriteTo(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new IOException($"Cannot create the folder '{full}' for the kernel's sources: {e.Message}", e);
        }

        var written = new List<string>(_files.Count);
        foreach (var (name, text) in _files)
        {
            var path = Path.Combine(full, name);
            var temporary = Path.Combine(full, $".{name}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllText(temporary, text);
                File.Move(temporary, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDelete(temporary);
                var message = $"Cannot write '{name}' into the folder '{full}': {e.Message}";
                throw e is UnauthorizedAccessException ? new UnauthorizedAccessException(message, e) : new IOException(message, e);
            }

            written.Add(path);
        }

        return written;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error is the one to report; a leftover temporary file is named by its dot and suffix.
        }
    }

    private static void CheckName(string name, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0', ':', '*', '?', '"', '<', '>', '|']) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a valid source file name: a name is not empty, not '.' or '..', and holds no folder separator or any of : * ? \" < > |.", parameter);
        }
    }
}
