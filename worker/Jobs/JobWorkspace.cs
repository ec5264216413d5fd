namespace BuildFarm.Worker.Jobs;

/// <summary>
/// A fresh directory per attempt: <c>src</c> (the build's working directory), <c>home</c> (a fresh
/// HOME, as a new CodeBuild container has) and <c>state</c> (what carries cd/export between phases).
/// </summary>
public sealed class JobWorkspace : IDisposable
{
    private readonly bool _keep;

    private JobWorkspace(string root, bool keep)
    {
        Root = root;
        _keep = keep;
    }

    public string Root { get; }
    public string Source => Path.Combine(Root, "src");
    public string Home => Path.Combine(Root, "home");
    public string State => Path.Combine(Root, "state");

    public static JobWorkspace Create(string workRoot, Guid jobId, int attempt, bool keep)
    {
        var workspace = new JobWorkspace(Path.Combine(Path.GetFullPath(workRoot), $"{jobId:N}-{attempt}"), keep);
        if (Directory.Exists(workspace.Root))
        {
            // Left by a crashed earlier run of this same attempt on this worker: start clean.
            Directory.Delete(workspace.Root, recursive: true);
        }

        Directory.CreateDirectory(workspace.Source);
        Directory.CreateDirectory(workspace.Home);
        Directory.CreateDirectory(workspace.State);
        return workspace;
    }

    public void Dispose()
    {
        if (_keep || !Directory.Exists(Root))
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A step may leave files it made read-only or owned by another user; the workspace is
            // under the work root and a later start cleans it, so a failed delete must not fail the job.
        }
    }
}
