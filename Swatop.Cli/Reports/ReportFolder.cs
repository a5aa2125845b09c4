using System.Text;

namespace Swatop.Cli.Reports;

/// <summary>
/// The folder <c>swatop report --onnx</c> writes into: made when missing, refused when it is a file; each file
/// written whole under a temporary name in the folder, then moved onto its own, so that no reader ever finds one
/// half-written.
/// </summary>
internal static class ReportFolder
{
    /// <summary>Why <paramref name="folder"/> cannot take the report, naming the option and the rule; null when it can.</summary>
    public static string? Refusal(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return File.Exists(folder) ? $"--out '{folder}' is a file: it must be a folder, made when missing." : null;
    }

    /// <summary>Writes each of <paramref name="files"/> (a name and its text, UTF-8) into <paramref name="folder"/>, made when missing.</summary>
    /// <exception cref="IOException">The folder or a file cannot be written; no file is left half-written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or a file may not be written.</exception>
    public static void Write(string folder, IReadOnlyList<(string Name, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(files);
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(folder, name);
            var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllText(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
    }
}
