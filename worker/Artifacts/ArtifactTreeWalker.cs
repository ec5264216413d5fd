namespace BuildFarm.Worker.Artifacts;

/// <summary>
/// Walks a base directory once and returns the files the patterns select, each once however many
/// patterns match it. Directories no pattern can reach are not entered, and a directory an
/// exclude takes whole (<c>node_modules/**/*</c>) is skipped without reading it.
/// </summary>
internal sealed class ArtifactTreeWalker(IReadOnlyList<GlobPattern> includes, IReadOnlyList<GlobPattern> excludes, bool keepSymlinks)
{
    // Deeper than any real build tree; what stops a walk through symlinks the cycle check misses.
    private const int MaxDepth = 256;

    private static readonly EnumerationOptions ReadEverything = new()
    {
        // Dot-files are build output like any other (CodeBuild's **/* takes .env and .well-known/).
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private readonly List<string> _warnings = [];

    /// <summary>What the walk skipped and why (dangling symlinks, cycles), for the job's log.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <exception cref="IOException">A directory or link could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A directory may not be read.</exception>
    public List<ArtifactFile> Walk(DirectoryInfo baseDirectory, CancellationToken cancellationToken)
    {
        var found = new List<ArtifactFile>();
        var root = new Frame(baseDirectory, "", IncludedWhole: false, [Physical(baseDirectory)], Depth: 0);
        var pending = new Stack<Frame>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var frame = pending.Pop();
            foreach (var entry in frame.Directory.EnumerateFileSystemInfos("*", ReadEverything))
            {
                var relative = frame.RelativePath.Length == 0 ? entry.Name : $"{frame.RelativePath}/{entry.Name}";
                if (entry.LinkTarget is { } linkTarget)
                {
                    if (keepSymlinks)
                    {
                        AddIfSelected(found, frame, new ArtifactFile(relative, entry, linkTarget));
                    }
                    else
                    {
                        Follow(found, pending, frame, entry, relative);
                    }
                }
                else if (entry is DirectoryInfo directory)
                {
                    Enter(pending, frame, directory, relative, Physical(directory));
                }
                else
                {
                    AddIfSelected(found, frame, new ArtifactFile(relative, entry, null));
                }
            }
        }

        return found;
    }

    private void Follow(List<ArtifactFile> found, Stack<Frame> pending, Frame frame, FileSystemInfo link, string relative)
    {
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException ex)
        {
            // A loop of links (a -> b -> a) cannot be followed; the rest of the tree still can.
            _warnings.Add($"skipped symlink '{relative}': {ex.Message}");
            return;
        }

        if (target is not null && Directory.Exists(target.FullName))
        {
            var directory = new DirectoryInfo(target.FullName);
            Enter(pending, frame, directory, relative, Physical(directory));
        }
        else if (target is not null && File.Exists(target.FullName))
        {
            AddIfSelected(found, frame, new ArtifactFile(relative, new FileInfo(target.FullName), null));
        }
        else if (IsSelected(frame, relative))
        {
            _warnings.Add($"skipped symlink '{relative}': its target '{link.LinkTarget}' does not exist");
        }
    }

    private void Enter(Stack<Frame> pending, Frame parent, DirectoryInfo directory, string relative, string physical)
    {
        if (excludes.Any(e => e.MatchesEverythingBelow(relative)))
        {
            return;
        }

        var whole = parent.IncludedWhole || includes.Any(i => i.MatchesEverythingBelow(relative));
        if (!whole && !includes.Any(i => i.MayMatchBelow(relative)))
        {
            return;
        }

        if (parent.Ancestors.Any(a => IsWithin(a, physical)))
        {
            _warnings.Add($"skipped '{relative}': it links back to a directory above it");
            return;
        }

        if (parent.Depth + 1 > MaxDepth)
        {
            _warnings.Add($"skipped '{relative}': deeper than {MaxDepth} directories");
            return;
        }

        pending.Push(new Frame(directory, relative, whole, [.. parent.Ancestors, physical], parent.Depth + 1));
    }

    private void AddIfSelected(List<ArtifactFile> found, Frame frame, ArtifactFile file)
    {
        if (IsSelected(frame, file.RelativePath))
        {
            found.Add(file);
        }
    }

    private bool IsSelected(Frame frame, string relative) =>
        (frame.IncludedWhole || includes.Any(i => i.IsMatch(relative))) && !excludes.Any(e => e.IsMatch(relative));

    // Walking a directory that holds one of our ancestors would come back round to it: a link to
    // the parent, or to "/", is a cycle even though the link itself names neither.
    private static bool IsWithin(string path, string directory) =>
        string.Equals(path, directory, StringComparison.Ordinal)
        || path.StartsWith(directory.EndsWith('/') ? directory : directory + "/", StringComparison.Ordinal);

    private static string Physical(DirectoryInfo directory) => Path.TrimEndingDirectorySeparator(directory.FullName);

    private sealed record Frame(DirectoryInfo Directory, string RelativePath, bool IncludedWhole, string[] Ancestors, int Depth);
}
