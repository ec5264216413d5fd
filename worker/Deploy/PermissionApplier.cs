using System.Diagnostics;
using System.Globalization;
using BuildFarm.Core.Definitions;
using BuildFarm.Worker.Artifacts;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Applies <c>permissions</c> to what the Install event just wrote, as CodeDeploy's agent does: an entry
/// touches the installed files and directories under its object (or the object itself when it is an
/// installed file) whose path below the object matches <c>pattern</c> and no <c>except</c>, of the listed types.
/// </summary>
public sealed class PermissionApplier(HostPaths paths)
{
    // chown takes many paths at once; bounded so an argument list never hits the kernel's limit.
    private const int PathsPerChown = 200;

    public async Task<int> ApplyAsync(IReadOnlyList<AppSpecPermission> permissions, InstallResult install, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The deploy agent runs on Linux.");
        }
        var applied = 0;
        foreach (var permission in permissions)
        {
            var targets = Select(permission, install);
            // Owner first: chown clears setuid/setgid bits, so the mode must come after it.
            if (permission.Owner is not null || permission.Group is not null)
            {
                var owner = $"{permission.Owner}{(permission.Group is null ? "" : ":" + permission.Group)}";
                foreach (var batch in targets.Chunk(PathsPerChown))
                {
                    await ChownAsync(owner, batch, cancellationToken);
                }
            }
            if (permission.Mode is { } mode)
            {
                var bits = (UnixFileMode)Convert.ToInt32(mode, 8);
                foreach (var target in targets)
                {
                    File.SetUnixFileMode(target, bits);
                }
            }
            applied += targets.Count;
        }
        return applied;
    }

    internal List<string> Select(AppSpecPermission permission, InstallResult install)
    {
        var root = paths.Map(permission.Object);
        var pattern = Parse(permission.Pattern);
        // An absolute except names one path; anything else is a pattern below the object, or a bare name.
        var exceptPaths = permission.Except.Where(e => e.StartsWith('/')).Select(paths.Map).ToHashSet(StringComparer.Ordinal);
        var except = permission.Except.Where(e => !e.StartsWith('/')).Select(Parse).ToList();
        var selected = new List<string>();
        if (permission.Types.HasFlag(AppSpecPermissionTypes.File))
        {
            selected.AddRange(install.Installed.Files.Where(Matches));
        }
        if (permission.Types.HasFlag(AppSpecPermissionTypes.Directory))
        {
            selected.AddRange(install.TouchedDirectories.Concat(install.Installed.Directories).Distinct(StringComparer.Ordinal).Where(Matches).Order(StringComparer.Ordinal));
        }
        return selected;

        bool Matches(string path)
        {
            if (exceptPaths.Contains(path))
            {
                return false;
            }
            if (path == root)
            {
                // The object itself is taken only when it names a file; a directory object means what is below it.
                return File.Exists(path);
            }
            if (!path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return false;
            }
            var relative = path[(root.Length + 1)..];
            return pattern.IsMatch(relative) && !except.Any(e => e.IsMatch(relative) || e.IsMatch(Path.GetFileName(relative)));
        }
    }

    private static GlobPattern Parse(string pattern)
    {
        // "**" alone means everything below the object, the form nearly every appspec uses.
        var text = pattern == "**" ? "**" : pattern.TrimStart('/');
        return GlobPattern.TryParse(text, out var parsed, out var error)
            ? parsed
            : throw new InstallFailedException($"The permissions pattern '{pattern}' cannot be used: {error}.");
    }

    private static async Task ChownAsync(string owner, IEnumerable<string> targets, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-h");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(owner);
        foreach (var target in targets)
        {
            start.ArgumentList.Add(target);
        }
        using var process = Process.Start(start) ?? throw new InstallFailedException("chown could not be started.");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InstallFailedException(string.Create(CultureInfo.InvariantCulture, $"Setting owner '{owner}' failed (chown exit code {process.ExitCode}): {error.Trim()}"));
        }
    }
}
