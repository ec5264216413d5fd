using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BuildFarm.Coordinator.Metrics;

/// <summary>
/// Counts what a SaveChanges committed — new runs, runs and jobs that became final, stored log bytes —
/// so every code path that changes them is measured without each one
/// remembering to, and nothing is counted for a transaction that failed. The outbox lag is counted by the
/// dispatcher, which marks a batch sent in one statement rather than through SaveChanges.
/// </summary>
public sealed class MetricsSaveChangesInterceptor(FarmMetrics metrics) : SaveChangesInterceptor
{
    // One pending list per context instance: pooled contexts are used by one request at a time.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<Action>> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context, record: true);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, record: true);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Flush(eventData.Context, record: false);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, record: false);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var actions = new List<Action>();
        long logBytes = 0;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case Run run when entry.State == EntityState.Added:
                    actions.Add(metrics.RunTriggered);
                    break;
                case Run run when entry.State == EntityState.Modified && run.Status.IsFinal() && entry.Property(nameof(Run.Status)).IsModified:
                    var runStatus = run.Status;
                    actions.Add(() => metrics.RunCompleted(runStatus));
                    break;
                case Job job when entry.State == EntityState.Modified && job.Status.IsFinal() && entry.Property(nameof(Job.Status)).IsModified && job.StartedAt is { } started:
                    var (jobStatus, duration) = (job.Status, (job.FinishedAt ?? started) - started);
                    actions.Add(() => metrics.JobFinished(jobStatus, duration));
                    break;
                case LogChunk chunk when entry.State == EntityState.Added:
                    logBytes += chunk.Length;
                    break;
            }
        }

        if (logBytes > 0)
        {
            actions.Add(() => metrics.LogStored(logBytes));
        }

        _pending.AddOrUpdate(context, actions);
    }

    private void Flush(DbContext? context, bool record)
    {
        if (context is null || !_pending.TryGetValue(context, out var actions))
        {
            return;
        }

        _pending.Remove(context);
        if (record)
        {
            actions.ForEach(a => a());
        }
    }
}
