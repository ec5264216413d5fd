using System.Runtime.CompilerServices;

namespace BuildFarm.UnitTests.Core.Definitions;

/// <summary>
/// Finds the buildspec samples beside these tests. They are read from the output folder when the project
/// copies them there, else from the source tree, which is where `dotnet test` runs them from in this repo.
/// </summary>
internal static class SampleFiles
{
    public static string Folder { get; } = Locate();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Folder, relativePath));

    public static IEnumerable<string> Under(string subfolder) =>
        Directory.EnumerateFiles(Path.Combine(Folder, subfolder), "*.yml")
            .Select(path => Path.GetRelativePath(Folder, path))
            .Order(StringComparer.Ordinal);

    private static string Locate([CallerFilePath] string thisFile = "")
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Core", "Definitions", "Samples");
        if (Directory.Exists(copied))
        {
            return copied;
        }
        var source = Path.Combine(Path.GetDirectoryName(thisFile)!, "Samples");
        return Directory.Exists(source)
            ? source
            : throw new DirectoryNotFoundException($"Buildspec samples are in neither {copied} nor {source}.");
    }
}
