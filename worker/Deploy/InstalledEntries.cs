namespace BuildFarm.Worker.Deploy;

/// <summary>
/// The host paths a revision's Install wrote: files it copied and directories it created. The next
/// deployment removes exactly these before installing, as CodeDeploy's cleanup file does.
/// </summary>
public sealed class InstalledEntries
{
    public static readonly InstalledEntries Empty = new([], []);

    public InstalledEntries(IReadOnlyList<string> files, IReadOnlyList<string> directories)
    {
        Files = files;
        Directories = directories;
    }

    public IReadOnlyList<string> Files { get; }

    /// <summary>Created by the install, parents before children.</summary>
    public IReadOnlyList<string> Directories { get; }

    public static InstalledEntries Parse(IEnumerable<string> lines)
    {
        var files = new List<string>();
        var directories = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("f ", StringComparison.Ordinal))
            {
                files.Add(line[2..]);
            }
            else if (line.StartsWith("d ", StringComparison.Ordinal))
            {
                directories.Add(line[2..]);
            }
        }
        return new InstalledEntries(files, directories);
    }

    public IEnumerable<string> ToLines() => Directories.Select(d => "d " + d).Concat(Files.Select(f => "f " + f));

    /// <summary>Deletes the files, then the directories that are left empty, deepest first.</summary>
    public void Remove()
    {
        foreach (var file in Files)
        {
            File.Delete(file);
        }
        foreach (var directory in Directories.OrderByDescending(d => d.Length))
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
    }
}
