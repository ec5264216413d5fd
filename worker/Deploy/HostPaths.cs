namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Maps the absolute paths an appspec names onto this agent's host. With a root prefix (<c>--root /tmp/host1</c>)
/// every absolute path lands under it, so several agents on one machine behave as separate servers.
/// </summary>
public sealed class HostPaths
{
    public HostPaths(string? rootPrefix)
    {
        Root = string.IsNullOrEmpty(rootPrefix) || rootPrefix == "/"
            ? ""
            : Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPrefix));
    }

    /// <summary>The prefix without a trailing slash; empty when paths are used as they are.</summary>
    public string Root { get; }

    /// <summary>Where <paramref name="absolutePath"/> is on this host.</summary>
    /// <exception cref="ArgumentException">The path is not absolute, or <c>..</c> would climb out of the root.</exception>
    public string Map(string absolutePath)
    {
        ArgumentNullException.ThrowIfNull(absolutePath);
        if (!absolutePath.StartsWith('/'))
        {
            throw new ArgumentException($"'{absolutePath}' is not an absolute path.", nameof(absolutePath));
        }
        // Normalised before the prefix goes on, so "/../etc" cannot climb out of the root.
        var normalized = Path.TrimEndingDirectorySeparator(Path.GetFullPath(absolutePath));
        return Root.Length == 0 ? normalized : Root + (normalized == "/" ? "" : normalized);
    }

    /// <summary>The appspec's view of a host path (the inverse of <see cref="Map"/>), for messages.</summary>
    public string Unmap(string hostPath) =>
        Root.Length > 0 && hostPath.StartsWith(Root + "/", StringComparison.Ordinal) ? hostPath[Root.Length..] : hostPath;
}
