namespace Swatop.Tests;

/// <summary>Finds files of the repository (such as the measured data in <c>data/</c>) from wherever the tests run.</summary>
internal static class RepositoryFiles
{
    /// <summary>The full path of <paramref name="relativePath"/> under the repository root, the directory holding <c>Swatop.sln</c>.</summary>
    public static string PathOf(string relativePath)
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Swatop.sln")))
            {
                return Path.Combine(directory.FullName, relativePath);
            }
        }

        throw new InvalidOperationException($"No Swatop.sln above {TestContext.CurrentContext.TestDirectory}: cannot find the repository's '{relativePath}'.");
    }
}
