using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record DeployAgentResponse(
    string Instance, IReadOnlyDictionary<string, string> Tags, string Os, string Root, DateTimeOffset RegisteredAt, DateTimeOffset LastHeartbeatAt, bool Silent)
{
    public static DeployAgentResponse From(DeployAgent a, bool silent) =>
        new(a.InstanceName, a.Tags, a.Os, a.Root, a.RegisteredAt, a.LastHeartbeatAt, silent);
}
