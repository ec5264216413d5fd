using System.Text.Json;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// What the agent remembers between deployments, laid out as CodeDeploy's agent does under its root:
/// <c>deployment-root/GROUP/DEPLOYMENT/deployment-archive</c> for each revision,
/// <c>deployment-instructions/GROUP_last_successful_install</c> and <c>GROUP-cleanup</c> (the files
/// that revision installed), and a marker for the deployment in progress, so that an agent restarted
/// in the middle of a hook can report that event as failed.
/// </summary>
public sealed class AgentState
{
    // CodeDeploy keeps five revisions; two are enough for ApplicationStop and a manual look.
    private const int RevisionsKept = 2;

    public AgentState(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    /// <summary>The agent's state directory (already mapped under the root prefix).</summary>
    public string Directory { get; }

    private string DeploymentRoot => Path.Combine(Directory, "deployment-root");

    private string Instructions => Path.Combine(DeploymentRoot, "deployment-instructions");

    private string OngoingFile => Path.Combine(DeploymentRoot, "ongoing-deployment.json");

    public string DeploymentDirectory(Guid groupId, Guid deploymentId) =>
        Path.Combine(DeploymentRoot, groupId.ToString(), deploymentId.ToString());

    public string ArchiveDirectory(Guid groupId, Guid deploymentId) =>
        Path.Combine(DeploymentDirectory(groupId, deploymentId), "deployment-archive");

    /// <summary>The extracted bundle of the group's last successful deployment on this host, or null (first deployment).</summary>
    public string? LastSuccessfulArchive(Guid groupId)
    {
        var pointer = Path.Combine(Instructions, $"{groupId}_last_successful_install");
        if (!File.Exists(pointer))
        {
            return null;
        }
        var archive = File.ReadAllText(pointer).Trim();
        return System.IO.Directory.Exists(archive) ? archive : null;
    }

    /// <summary>Host paths the last successful revision installed: files, then the directories it created.</summary>
    public InstalledEntries ReadInstalled(Guid groupId)
    {
        var path = CleanupFile(groupId);
        return File.Exists(path) ? InstalledEntries.Parse(File.ReadAllLines(path)) : InstalledEntries.Empty;
    }

    /// <summary>Written as soon as files are installed, so a failed later event still cleans them up next time.</summary>
    public void WriteInstalled(Guid groupId, InstalledEntries entries)
    {
        System.IO.Directory.CreateDirectory(Instructions);
        WriteAtomically(CleanupFile(groupId), string.Join('\n', entries.ToLines()));
    }

    /// <summary>Marks the revision the next deployment's ApplicationStop runs, and drops older archives.</summary>
    public void MarkSucceeded(Guid groupId, Guid deploymentId)
    {
        System.IO.Directory.CreateDirectory(Instructions);
        WriteAtomically(Path.Combine(Instructions, $"{groupId}_last_successful_install"), ArchiveDirectory(groupId, deploymentId));
        var groupDirectory = Path.Combine(DeploymentRoot, groupId.ToString());
        foreach (var old in new DirectoryInfo(groupDirectory).EnumerateDirectories()
            .OrderByDescending(d => d.CreationTimeUtc).Skip(RevisionsKept))
        {
            old.Delete(recursive: true);
        }
    }

    /// <summary>Records which event is running, so a restart can tell what was interrupted.</summary>
    public void MarkOngoing(OngoingDeployment ongoing)
    {
        System.IO.Directory.CreateDirectory(DeploymentRoot);
        WriteAtomically(OngoingFile, JsonSerializer.Serialize(ongoing));
    }

    public void ClearOngoing() => File.Delete(OngoingFile);

    /// <summary>The deployment a previous run of the agent did not finish, if any.</summary>
    public OngoingDeployment? ReadOngoing()
    {
        if (!File.Exists(OngoingFile))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<OngoingDeployment>(File.ReadAllText(OngoingFile));
        }
        catch (JsonException)
        {
            // Torn by a crash mid-write is impossible (atomic rename), so this is a hand edit: nothing to report.
            return null;
        }
    }

    private string CleanupFile(Guid groupId) => Path.Combine(Instructions, $"{groupId}-cleanup");

    private static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
