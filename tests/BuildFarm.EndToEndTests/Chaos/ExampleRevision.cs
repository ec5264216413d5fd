using System.IO.Compression;
using System.Runtime.Versioning;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// Revision zips made from examples/deploy, the CodeDeploy example a team would bring unchanged: its appspec at
/// the root, build/libs with the given version in version.txt, and its hook scripts.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ExampleRevision
{
    private static string ExampleDirectory => Path.Combine(Launcher.RepositoryRoot, "examples", "deploy");

    /// <summary>Writes VERSION.zip under <paramref name="directory"/>; <paramref name="edit"/> may change the copy first (its appspec, extra scripts).</summary>
    public static string Create(string directory, string version, Action<string>? edit = null)
    {
        var source = Path.Combine(directory, "revisions", version);
        foreach (var file in Directory.EnumerateFiles(ExampleDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(source, Path.GetRelativePath(ExampleDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        File.WriteAllText(Path.Combine(source, "build", "libs", "version.txt"), version + "\n");
        edit?.Invoke(source);
        var zip = Path.Combine(directory, "revisions", version + ".zip");
        File.Delete(zip);
        ZipFile.CreateFromDirectory(source, zip);
        return zip;
    }

    /// <summary>An edit that makes BeforeInstall run a script that prints "waiting" and sleeps far past the scenario.</summary>
    public static void WithHangingBeforeInstall(string source)
    {
        var appspec = Path.Combine(source, "appspec.yml");
        File.WriteAllText(appspec, File.ReadAllText(appspec).Replace("scripts/before-install.sh", "scripts/hang.sh", StringComparison.Ordinal));
        var script = Path.Combine(source, "scripts", "hang.sh");
        File.WriteAllText(script, "#!/bin/bash\necho waiting\nsleep 300\n");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));
    }
}
