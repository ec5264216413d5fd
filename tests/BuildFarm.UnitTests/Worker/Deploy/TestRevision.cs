using System.Runtime.Versioning;
using System.IO.Compression;

namespace BuildFarm.UnitTests.Worker.Deploy;

/// <summary>Builds a revision zip (appspec.yml at its root) from path → content; *.sh files are made executable.</summary>
[SupportedOSPlatform("linux")]
internal static class TestRevision
{
    public static string Create(string directory, string name, IReadOnlyDictionary<string, string> files)
    {
        var source = Path.Combine(directory, name + "-src");
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(source, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            if (path.EndsWith(".sh", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(full, File.GetUnixFileMode(full) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }
        var zip = Path.Combine(directory, name + ".zip");
        ZipFile.CreateFromDirectory(source, zip);
        return zip;
    }
}
