using BuildFarm.Core.Runs;
using Google.Protobuf.WellKnownTypes;
using Entities = BuildFarm.Coordinator.Persistence.Entities;
using V1 = BuildFarm.Protos.V1;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>Entity → public gRPC message mapping, kept in one place so every RPC answers alike.</summary>
internal static class ProtoMapping
{
    public static V1.Pipeline ToProto(Entities.Pipeline pipeline, Entities.PipelineVersion version) => new()
    {
        Name = pipeline.Name,
        Version = version.Version,
        Definition = version.Definition,
        CreatedAt = Timestamp.FromDateTimeOffset(version.CreatedAt),
        Labels = { version.Labels },
    };

    public static V1.Run ToProto(Entities.Run run)
    {
        var proto = new V1.Run
        {
            Id = run.Id.ToString(),
            Pipeline = run.PipelineName,
            PipelineVersion = run.PipelineVersion,
            Status = ToProto(run.Status),
            Reason = run.Reason ?? "",
            CreatedAt = Timestamp.FromDateTimeOffset(run.CreatedAt),
            StartedAt = ToTimestamp(run.StartedAt),
            FinishedAt = ToTimestamp(run.FinishedAt),
        };
        if (run.BatchKind is not null)
        {
            proto.Batch = new V1.BatchInfo { Kind = run.BatchKind, FastFail = run.BatchFastFail };
        }
        // A batch's members in the order they were written (the sort is stable, so other runs keep theirs).
        foreach (var job in run.Jobs.OrderBy(j => j.BatchIndex))
        {
            var protoJob = new V1.Job
            {
                Id = job.Id.ToString(),
                Name = job.Name,
                Status = ToProto(job.Status),
                WorkerId = job.WorkerId ?? "",
                Attempt = job.Attempt,
                ExitCode = job.ExitCode ?? 0,
                Stage = job.StageName ?? "",
                StageIndex = job.StageIndex,
                RunOrder = job.RunOrder,
                Category = job.Category ?? "",
                Reason = job.Reason ?? "",
                Identifier = job.BatchIdentifier ?? "",
                IgnoreFailure = job.BatchIgnoreFailure,
                BatchBuildspec = job.BatchBuildSpec ?? "",
                StartedAt = ToTimestamp(job.StartedAt),
                FinishedAt = ToTimestamp(job.FinishedAt),
            };
            protoJob.DependOn.AddRange(job.BatchDependOn ?? []);
            protoJob.BatchVariables.Add(job.BatchVariables ?? []);
            protoJob.ExportedVariables.Add(job.ExportedVariables ?? []);
            protoJob.Reports.AddRange(job.Reports
                .Where(r => r.AttemptId == job.AttemptId)
                .OrderBy(r => r.ReportGroup, StringComparer.Ordinal)
                .Select(r => new V1.TestReport
                {
                    ReportGroup = r.ReportGroup,
                    Files = r.Files,
                    Total = r.Total,
                    Passed = r.Passed,
                    Failed = r.Failed,
                    Skipped = r.Skipped,
                    Errored = r.Errored,
                    DurationSeconds = r.DurationSeconds,
                }));
            protoJob.Phases.AddRange(job.Phases
                .Where(p => p.AttemptId == job.AttemptId)
                .OrderBy(p => p.StartedAt)
                .Select(p => new V1.Phase
                {
                    Name = p.Name,
                    Status = p.Status.ToString(),
                    ExitCode = p.ExitCode ?? 0,
                    StartedAt = Timestamp.FromDateTimeOffset(p.StartedAt),
                    FinishedAt = Timestamp.FromDateTimeOffset(p.FinishedAt),
                }));
            proto.Jobs.Add(protoJob);
        }

        return proto;
    }

    public static V1.RunStatus ToProto(RunStatus status) => status switch
    {
        RunStatus.Queued => V1.RunStatus.Queued,
        RunStatus.Running => V1.RunStatus.Running,
        RunStatus.Cancelling => V1.RunStatus.Cancelling,
        RunStatus.Succeeded => V1.RunStatus.Succeeded,
        RunStatus.Failed => V1.RunStatus.Failed,
        RunStatus.Cancelled => V1.RunStatus.Cancelled,
        RunStatus.Waiting => V1.RunStatus.Waiting,
        RunStatus.Superseded => V1.RunStatus.Superseded,
        _ => V1.RunStatus.Unspecified,
    };

    private static Timestamp? ToTimestamp(DateTimeOffset? value) =>
        value is null ? null : Timestamp.FromDateTimeOffset(value.Value);
}
