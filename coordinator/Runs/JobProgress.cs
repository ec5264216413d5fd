using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Artifacts;
using BuildFarm.Coordinator.Logs;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Pipelines;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs;

/// <summary>
/// Applies what workers report through the one state machine. Idempotent: events of a stale attempt,
/// a redelivered phase (unique index) and a second completion are no-ops.
/// </summary>
public sealed class JobProgress(
    BuildFarmDbContext db, RunCompletion completion, PipelineAdvancer advancer, Messaging.Outbox.OutboxSignal signal, LogHub hub, Metrics.FarmMetrics metrics)
{
    private const int MaxAttempts = 5;

    public async Task ApplyAsync(PhaseCompleted message, CancellationToken cancellationToken)
    {
        db.Phases.Add(new Phase
        {
            JobId = message.JobId,
            AttemptId = message.AttemptId,
            Name = message.Phase,
            Status = Enum.Parse<PhaseStatus>(message.Status),
            ExitCode = message.ExitCode,
            StartedAt = message.StartedAt.ToUniversalTime(),
            FinishedAt = message.FinishedAt.ToUniversalTime(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Redelivered: the phase is already recorded.
            db.ChangeTracker.Clear();
        }
    }

    public async Task ApplyAsync(JobCompleted message, CancellationToken cancellationToken)
    {
        var @event = message.Status switch
        {
            "Succeeded" => RunEvent.Succeeded,
            "Cancelled" => RunEvent.Cancelled,
            _ => RunEvent.Failed,
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyOnceAsync(message, @event, cancellationToken);
                break;
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && (ex is DbUpdateConcurrencyException || UniqueViolation.Is(ex)))
            {
                // A cancel, the lease sweeper or a PhaseCompleted changed the job meanwhile: decide again on fresh state.
                db.ChangeTracker.Clear();
            }
        }

        hub.Complete(message.JobId);
    }

    private async Task ApplyOnceAsync(JobCompleted message, RunEvent @event, CancellationToken cancellationToken)
    {
        var run = await db.Runs.Include(r => r.Jobs).FirstOrDefaultAsync(r => r.Id == message.RunId, cancellationToken);
        var job = run?.Jobs.FirstOrDefault(j => j.Id == message.JobId);
        if (run is null || job is null || job.AttemptId != message.AttemptId)
        {
            return;
        }

        var next = RunStateMachine.Next(job.Status, @event);
        if (next is null)
        {
            return;
        }

        // The phases come again on this event, so the run is final only with its whole phase history.
        var recorded = await db.Phases.Where(p => p.JobId == job.Id && p.AttemptId == message.AttemptId).Select(p => p.Name).ToListAsync(cancellationToken);
        foreach (var phase in (message.Phases ?? []).Where(p => !recorded.Contains(p.Phase)))
        {
            db.Phases.Add(new Phase
            {
                JobId = job.Id,
                AttemptId = message.AttemptId,
                Name = phase.Phase,
                Status = Enum.Parse<PhaseStatus>(phase.Status),
                ExitCode = phase.ExitCode,
                StartedAt = phase.StartedAt.ToUniversalTime(),
                FinishedAt = phase.FinishedAt.ToUniversalTime(),
            });
        }

        // Only the transition above applies an attempt's completion, so its reports are added once.
        foreach (var report in message.Reports ?? [])
        {
            db.TestReports.Add(new TestReport
            {
                Id = Guid.NewGuid(),
                JobId = job.Id,
                AttemptId = message.AttemptId,
                ReportGroup = report.ReportGroup,
                Files = report.Files,
                Total = report.Total,
                Passed = report.Passed,
                Failed = report.Failed,
                Skipped = report.Skipped,
                Errored = report.Errored,
                DurationSeconds = report.DurationSeconds,
            });
        }

        job.Status = next.Value;
        job.ExitCode = message.ExitCode;
        job.Reason = next == RunStatus.Succeeded ? null : job.Reason ?? message.Reason;
        job.FinishedAt = message.FinishedAt.ToUniversalTime();
        job.ExportedVariables = message.ExportedVariables is { Count: > 0 } exported ? new(exported, StringComparer.Ordinal) : null;
        job.LeaseExpiresAt = null;
        job.Revision++;
        await ArtifactRecorder.RecordAsync(db, message, cancellationToken);
        // A pipeline file's run moves on in this same transaction: the next group's RunJob commits with this result.
        if (job.StageName is not null)
        {
            var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == run.PipelineVersionId, cancellationToken);
            advancer.ActionFinished(db, run, job);
            advancer.DispatchReady(db, run, PipelineRunPlanner.Read(version));
        }
        completion.UpdateRun(db, run, job.Reason);
        await db.SaveChangesAsync(cancellationToken);
        // Counted once: only the committed transition above gets here, never a redelivery or a stale attempt.
        metrics.CacheRestored(message.CacheOutcome);
        signal.Notify();
    }
}
