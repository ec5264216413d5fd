using BuildFarm.Coordinator.Persistence.Commits;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Metrics;

/// <summary>
/// Counts what a SaveChanges committed — new runs, runs and jobs that became final, stored log bytes — once
/// <see cref="AfterCommitInterceptor"/> sees it committed, so every code path that changes them is measured without
/// each one remembering to, and nothing is counted for a save or transaction that failed. The outbox lag is counted by the
/// dispatcher, which marks a batch sent in one statement rather than through SaveChanges.
/// </summary>
public sealed class MetricsCommitObserver(FarmMetrics metrics) : ICommitObserver
{
    public void Collect(DbContext context, List<Action> afterCommit)
    {
        long logBytes = 0;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case Run run when entry.State == EntityState.Added:
                    afterCommit.Add(metrics.RunTriggered);
                    break;
                case Run run when entry.State == EntityState.Modified && run.Status.IsFinal() && entry.Property(nameof(Run.Status)).IsModified:
                    var runStatus = run.Status;
                    afterCommit.Add(() => metrics.RunCompleted(runStatus));
                    break;
                case Job job when entry.State == EntityState.Modified && job.Status.IsFinal() && entry.Property(nameof(Job.Status)).IsModified && job.StartedAt is { } started:
                    var (jobStatus, duration) = (job.Status, (job.FinishedAt ?? started) - started);
                    afterCommit.Add(() => metrics.JobFinished(jobStatus, duration));
                    break;
                case LogChunk chunk when entry.State == EntityState.Added:
                    logBytes += chunk.Length;
                    break;
            }
        }

        if (logBytes > 0)
        {
            afterCommit.Add(() => metrics.LogStored(logBytes));
        }

    }
}
