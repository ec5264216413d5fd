using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text;

namespace BuildFarm.UnitTests.Worker.Artifacts;

/// <summary>A throwaway job directory: a source tree to package, and a temp directory for the zips.</summary>
[SupportedOSPlatform("linux")]
internal sealed class ArtifactTree : IDisposable
{
    public const UnixFileMode Executable = (UnixFileMode)0x1ED; // 0755
    public const UnixFileMode ReadWrite = (UnixFileMode)0x1A4;  // 0644

    public ArtifactTree()
    {
        Root = Directory.CreateTempSubdirectory("buildfarm-artifacts-").FullName;
        Source = Directory.CreateDirectory(Path.Combine(Root, "src")).FullName;
        Temp = Path.Combine(Root, "tmp");
    }

    public string Root { get; }
    public string Source { get; }
    public string Temp { get; }

    /// <summary>Writes a file whose content is its own relative path, so entries can be checked against it.</summary>
    public string File(string relative, UnixFileMode mode = ReadWrite, string? content = null)
    {
        var path = Path.Combine(Source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content ?? relative);
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Files(IEnumerable<string> relatives)
    {
        foreach (var relative in relatives)
        {
            if (relative.EndsWith('/'))
            {
                Directory.CreateDirectory(Path.Combine(Source, relative));
            }
            else
            {
                File(relative);
            }
        }
    }

    public void Symlink(string relative, string target)
    {
        var path = Path.Combine(Source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
    }

    /// <summary>Every entry of a zip: name, unix mode bits from the external attributes, content as text.</summary>
    public static List<ZipEntryInfo> Read(string zipPath)
    {
        using var archive = ZipFile.OpenRead(zipPath);
        return [.. archive.Entries.Select(e => new ZipEntryInfo(e.FullName, (e.ExternalAttributes >> 16) & 0xFFFF, ReadText(e)))];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner gets whatever a failed test left open.
        }
    }

    private static string ReadText(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
