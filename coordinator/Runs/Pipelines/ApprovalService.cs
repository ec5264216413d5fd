using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Manual approval actions: a person approves or rejects a waiting approval (who and the comment are kept in the
/// action's reason), or its timeout fails it. Either way the run moves on (or stops) in the same transaction.
/// </summary>
public sealed class ApprovalService(
    BuildFarmDbContext db, PipelineAdvancer advancer, RunCompletion completion, OutboxSignal signal, TimeProvider time)
{
    private const int MaxTries = 5;
    private const int MaxCommentLength = 1000;

    public async Task<Run> DecideAsync(Guid runId, string stage, string action, bool approve, string? comment, string who, CancellationToken cancellationToken)
    {
        if (comment is { Length: > MaxCommentLength })
        {
            throw new RequestInvalidException("comment", $"The comment is longer than {MaxCommentLength} characters.");
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var run = await db.Runs.Include(r => r.Jobs).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken)
                    ?? throw new NotFoundException("Run", runId.ToString());
                var job = run.Jobs.FirstOrDefault(j => j.StageName == stage && j.Name == action && j.Category == "approval")
                    ?? throw new NotFoundException("Approval action", $"{runId}/{stage}/{action}");
                if (job.Status != RunStatus.Running)
                {
                    throw new ConflictException($"The approval {stage}/{action} is {job.Status}: only a waiting approval (Running) can be decided.");
                }
                var verdict = approve ? "approved" : "rejected";
                var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == run.PipelineVersionId, cancellationToken);
                Finish(run, job, PipelineRunPlanner.Read(version), approve ? RunStatus.Succeeded : RunStatus.Failed,
                    $"{verdict} by {who}{(string.IsNullOrWhiteSpace(comment) ? "" : $": {comment}")}");
                await db.SaveChangesAsync(cancellationToken);
                signal.Notify();
                return run;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxTries)
            {
                // Cancelled or timed out meanwhile: decide again on fresh state (it will then be a conflict).
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Fails approvals older than their <c>timeoutMinutes</c> (default 7 days); returns how many.</summary>
    public async Task<int> ExpireAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Approvals have no lease (LeaseExpiresAt stays null), so the lease sweeper never touches them.
        var waiting = await db.Jobs.AsNoTracking()
            .Where(j => j.Category == "approval" && j.Status == RunStatus.Running && j.StartedAt != null)
            .OrderBy(j => j.StartedAt)
            .Select(j => new { j.Id, j.RunId, j.StartedAt })
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var candidate in waiting)
        {
            var run = await db.Runs.Include(r => r.Jobs).FirstAsync(r => r.Id == candidate.RunId, cancellationToken);
            var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == run.PipelineVersionId, cancellationToken);
            var job = run.Jobs.First(j => j.Id == candidate.Id);
            var definition = PipelineRunPlanner.Read(version);
            var minutes = TimeoutMinutes(definition, job);
            if (job.Status != RunStatus.Running || candidate.StartedAt!.Value.AddMinutes(minutes) > now)
            {
                db.ChangeTracker.Clear();
                continue;
            }
            Finish(run, job, definition, RunStatus.Failed, $"approval timed out after {minutes} minute(s)");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                expired++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Decided or cancelled at the same moment: that outcome stands.
            }
            db.ChangeTracker.Clear();
        }
        if (expired > 0)
        {
            signal.Notify();
        }
        return expired;
    }

    private void Finish(Run run, Job job, PipelineDefinition? definition, RunStatus status, string reason)
    {
        job.Status = status;
        job.Reason = reason;
        job.FinishedAt = time.GetUtcNow();
        job.Revision++;
        advancer.ActionFinished(db, run, job);
        advancer.DispatchReady(db, run, definition);
        completion.UpdateRun(db, run, status == RunStatus.Succeeded ? null : reason);
    }

    private static int TimeoutMinutes(PipelineDefinition? definition, Job job)
    {
        var action = definition?.Stages[job.StageIndex].Actions.FirstOrDefault(a => a.Name == job.Name);
        return int.TryParse(action?.Setting(ActionConfigurationKeys.TimeoutMinutes, ""), out var minutes)
            ? minutes
            : ActionConfigurationKeys.MaxApprovalMinutes;
    }
}
