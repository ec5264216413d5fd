using BuildFarm.Core.Definitions;
using BuildFarm.Worker.Files;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// CodeDeploy's Install event for the <c>files</c> section: remove what the previous successful revision
/// installed, plan every copy, refuse the whole plan when a file already exists and the behaviour is
/// DISALLOW (nothing is copied then), and place each file (a hard link to the extracted bundle, or a copy). Permissions are applied afterwards by <see cref="PermissionApplier"/>.
/// </summary>
public sealed class RevisionInstaller(HostPaths paths)
{
    // A long DISALLOW refusal is not more useful than its first few paths and a count.
    private const int ConflictsShown = 5;

    public InstallResult Install(AppSpec spec, string archive, AppSpecFileExistsBehavior behavior, InstalledEntries previous)
    {
        ArgumentNullException.ThrowIfNull(spec);
        previous.Remove();
        var copies = Plan(spec, archive);
        var conflicts = copies.Where(c => c.Source is not null && (File.Exists(c.Target) || Directory.Exists(c.Target))).ToList();
        if (conflicts.FirstOrDefault(c => Directory.Exists(c.Target)) is { } directory)
        {
            throw new InstallFailedException($"Cannot install the file {paths.Unmap(directory.Target)}: a directory of that name exists.");
        }
        if (conflicts.Count > 0 && behavior == AppSpecFileExistsBehavior.Disallow)
        {
            var shown = string.Join(", ", conflicts.Take(ConflictsShown).Select(c => paths.Unmap(c.Target)));
            var more = conflicts.Count > ConflictsShown ? $" and {conflicts.Count - ConflictsShown} more" : "";
            throw new InstallFailedException(
                $"The deployment failed because a specified file already exists at this location: {shown}{more} (file_exists_behavior is DISALLOW; use OVERWRITE or RETAIN, or remove the file).");
        }

        var created = new List<string>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        var retained = 0;
        var linked = new HashSet<string>(StringComparer.Ordinal);
        var hookScripts = spec.Hooks.Values.SelectMany(h => h).Select(h => Path.GetFullPath(Path.Combine(archive, h.Location.TrimStart('/')))).ToHashSet(StringComparer.Ordinal);
        foreach (var copy in copies)
        {
            foreach (var dir in copy.Directories)
            {
                touched.Add(dir);
                if (!Directory.Exists(dir))
                {
                    CreateWithParents(dir, created);
                }
            }
            if (copy.Source is null)
            {
                continue;
            }
            if (File.Exists(copy.Target) && behavior == AppSpecFileExistsBehavior.Retain)
            {
                retained++;
                continue;
            }
            // The extracted bundle is this deployment's own copy, kept only for the next ApplicationStop's scripts, so a
            // hard link installs a file without writing its bytes a second time (most of Install's time on a large
            // revision). Copied instead: a source installed twice (each target keeps its own permissions) and a hook
            // script (the hook runner may chmod it, which must not change the installed file). Both ways keep the
            // source's mode bits, so a script that was executable in the bundle stays so.
            if (!hookScripts.Contains(Path.GetFullPath(copy.Source)) && linked.Add(copy.Source))
            {
                FileLinks.LinkOrCopy(copy.Source, copy.Target);
            }
            else
            {
                File.Copy(copy.Source, copy.Target, overwrite: true);
            }
            files.Add(copy.Target);
        }
        return new InstallResult(new InstalledEntries(files, created), touched, retained);
    }

    /// <summary>Every file to copy (and every empty directory to create), checked for sources missing from the bundle and for targets named twice.</summary>
    private List<PlannedCopy> Plan(AppSpec spec, string archive)
    {
        var copies = new List<PlannedCopy>();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in spec.Files)
        {
            var source = entry.NormalizedSource.Length == 0 ? archive : Path.Combine(archive, entry.NormalizedSource);
            var destination = paths.Map(entry.Destination);
            if (File.Exists(source))
            {
                Add(new PlannedCopy(source, Path.Combine(destination, Path.GetFileName(source)), [destination]));
            }
            else if (Directory.Exists(source))
            {
                copies.Add(new PlannedCopy(null, destination, [destination]));
                foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    copies.Add(new PlannedCopy(null, Path.Combine(destination, Path.GetRelativePath(source, dir)), [Path.Combine(destination, Path.GetRelativePath(source, dir))]));
                }
                foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var target = Path.Combine(destination, Path.GetRelativePath(source, file));
                    Add(new PlannedCopy(file, target, [Path.GetDirectoryName(target)!]));
                }
            }
            else
            {
                throw new InstallFailedException($"The files entry with source '{entry.Source}' names nothing in the revision.");
            }
        }
        return copies;

        void Add(PlannedCopy copy)
        {
            if (!targets.Add(copy.Target))
            {
                throw new InstallFailedException($"The deployment failed because the same file is specified for copy twice: {paths.Unmap(copy.Target)}.");
            }
            copies.Add(copy);
        }
    }

    private static void CreateWithParents(string directory, List<string> created)
    {
        var missing = new Stack<string>();
        for (var dir = directory; !string.IsNullOrEmpty(dir) && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }
        while (missing.TryPop(out var dir))
        {
            Directory.CreateDirectory(dir);
            created.Add(dir);
        }
    }

    /// <summary>A file to copy (or, with no source, a directory to create) and the directories it needs.</summary>
    private sealed record PlannedCopy(string? Source, string Target, string[] Directories);
}
