using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>Deployments for gRPC, from the same response models the HTTP API returns, so both say the same thing in the same order.</summary>
internal static class DeploymentProtoMapping
{
    public static Deployment ToProto(DeploymentResponse d)
    {
        var proto = new Deployment
        {
            Id = d.Id.ToString(),
            Application = d.Application,
            Group = d.Group,
            Revision = d.Revision,
            DeploymentConfig = d.DeploymentConfig,
            Status = d.Status,
            Reason = d.Reason ?? "",
            IsRollback = d.IsRollback,
            RollbackOf = d.RollbackOf?.ToString() ?? "",
            RolledBackBy = d.RolledBackBy?.ToString() ?? "",
            CreatedAt = Timestamp.FromDateTimeOffset(d.CreatedAt),
            FinishedAt = Stamp(d.FinishedAt),
        };
        proto.Instances.AddRange(d.Instances.Select(ToProto));
        return proto;
    }

    public static DeploymentGroup ToProto(DeploymentGroupResponse g)
    {
        var proto = new DeploymentGroup
        {
            Id = g.Id.ToString(),
            Application = g.Application,
            Name = g.Name,
            DeploymentConfig = g.DeploymentConfig,
            AutoRollback = g.AutoRollback,
            IgnoreApplicationStopFailures = g.IgnoreApplicationStopFailures,
            LastSuccessfulRevision = g.LastSuccessfulRevision ?? "",
        };
        proto.TagFilters.Add(g.TagFilters.ToDictionary());
        proto.InstanceNames.AddRange(g.InstanceNames);
        return proto;
    }

    private static DeploymentInstance ToProto(DeploymentInstanceResponse i)
    {
        var proto = new DeploymentInstance
        {
            Id = i.Id.ToString(),
            Instance = i.Instance,
            Status = i.Status,
            StartedAt = Stamp(i.StartedAt),
            FinishedAt = Stamp(i.FinishedAt),
            Message = i.Message ?? "",
        };
        proto.Events.AddRange(i.Events.Select(e =>
        {
            var ev = new DeploymentEvent
            {
                Event = e.Event,
                Status = e.Status,
                StartedAt = Stamp(e.StartedAt),
                FinishedAt = Stamp(e.FinishedAt),
                HookMilliseconds = e.HookMilliseconds,
                Message = e.Message ?? "",
            };
            if (e.ExitCode is { } exit)
            {
                ev.ExitCode = exit;
            }

            return ev;
        }));
        return proto;
    }

    private static Timestamp? Stamp(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;
}
