namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// A set of text files embedded in this assembly under one resource prefix, such as the athread shim's or
/// the SW5 header stand-ins: each read by name, or all written into a folder for a build.
/// </summary>
/// <param name="ResourcePrefix">The manifest resource name of each file, less the file's name.</param>
/// <param name="What">What the files are, in messages ("the athread shim").</param>
/// <param name="FileNames">The files, in the order a build needs them.</param>
internal sealed record EmbeddedTextFiles(string ResourcePrefix, string What, IReadOnlyList<string> FileNames)
{
    /// <summary>The text of one of the <see cref="FileNames"/>.</summary>
    /// <exception cref="ArgumentException">When <paramref name="fileName"/> is not one of them.</exception>
    public string Text(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (!FileNames.Contains(fileName, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{fileName}' is not one of the files of {What}; they are {string.Join(", ", FileNames)}.", nameof(fileName));
        }

        var assembly = typeof(EmbeddedTextFiles).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidOperationException($"The file '{fileName}' of {What} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Writes the files into <paramref name="directory"/> (created if needed).</summary>
    /// <returns>The full paths written, in the order of <see cref="FileNames"/>.</returns>
    public IReadOnlyList<string> WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>(FileNames.Count);
        foreach (var name in FileNames)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, Text(name));
            paths.Add(Path.GetFullPath(path));
        }

        return paths;
    }
}
