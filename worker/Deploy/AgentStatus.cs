using System.Text.Json;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Whether the agent is connected, to which coordinator, and why not. Kept in memory and written to
/// <c>agent-status.json</c> in the state directory, which `buildfarm agent status` reads.
/// </summary>
public sealed class AgentStatus(AgentState state, TimeProvider time)
{
    public const string FileName = "agent-status.json";

    private readonly Lock _lock = new();
    private AgentStatusSnapshot _current = new("", "", false, null, null, null, null);

    public AgentStatusSnapshot Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public void Starting(string instanceName, string coordinator) =>
        Update(s => s with { InstanceName = instanceName, Coordinator = coordinator, ProcessId = Environment.ProcessId });

    public void Connected() => Update(s => s with { Connected = true, LastContactAt = time.GetUtcNow(), LastError = null });

    public void Failed(string error) => Update(s => s with { Connected = false, LastError = error });

    public void Deploying(Guid? instanceDeploymentId) => Update(s => s with { CurrentInstanceDeploymentId = instanceDeploymentId });

    private void Update(Func<AgentStatusSnapshot, AgentStatusSnapshot> change)
    {
        AgentStatusSnapshot snapshot;
        lock (_lock)
        {
            snapshot = _current = change(_current);
        }
        try
        {
            Directory.CreateDirectory(state.Directory);
            var path = Path.Combine(state.Directory, FileName);
            File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(snapshot));
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (IOException)
        {
            // The file is only for `agent status`; a full disk must not stop deployments.
        }
    }
}
