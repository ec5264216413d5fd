using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Deployments;

/// <summary>Deploy agents: registration (instance name, tags), heartbeats, and what each one should stop.</summary>
public sealed class AgentRegistry(BuildFarmDbContext db, TimeProvider time, IOptions<DeploymentOptions> options)
{
    public async Task RegisterAsync(string instanceName, IReadOnlyDictionary<string, string> tags, string os, string root, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var agent = await db.DeployAgents.FirstOrDefaultAsync(a => a.InstanceName == instanceName, cancellationToken);
        if (agent is null)
        {
            agent = new DeployAgent { InstanceName = instanceName, Os = os, RegisteredAt = now };
            db.DeployAgents.Add(agent);
        }
        agent.Tags = new Dictionary<string, string>(tags);
        agent.Os = os;
        agent.Root = root;
        agent.LastHeartbeatAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Two registrations of one agent raced (a retry after a timeout); the other one stored it.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Records the beat; returns false when the agent is unknown (it must register), and the instance deployments it must stop.</summary>
    public async Task<(bool Registered, IReadOnlyList<Guid> Stop)> BeatAsync(string instanceName, CancellationToken cancellationToken)
    {
        var updated = await db.DeployAgents.Where(a => a.InstanceName == instanceName)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastHeartbeatAt, time.GetUtcNow()), cancellationToken);
        if (updated == 0)
        {
            return (false, []);
        }
        var stop = await db.DeploymentInstances.AsNoTracking()
            .Where(i => i.InstanceName == instanceName && i.Status == InstanceStatus.InProgress
                && db.Deployments.Any(d => d.Id == i.DeploymentId && d.Status == DeploymentStatus.Stopped))
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);
        return (true, stop);
    }

    public Task<List<DeployAgent>> ListAsync(CancellationToken cancellationToken) =>
        db.DeployAgents.AsNoTracking().OrderBy(a => a.InstanceName).ToListAsync(cancellationToken);

    public bool IsSilent(DeployAgent agent) =>
        time.GetUtcNow() - agent.LastHeartbeatAt > TimeSpan.FromSeconds(options.Value.AgentSilenceSeconds);
}
