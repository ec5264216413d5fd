using System.Data.Common;
using System.Runtime.CompilerServices;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// Wakes <see cref="LabelledJobAssigner"/> once a job that waits for a labelled worker is committed, not when
/// it is merely written: a pass woken before the commit would not see the job and leave it to the poll.
/// Watching the saves here means no code path that queues such a job has to remember to wake it.
/// </summary>
public sealed class LabelledJobCommitWatcher(LabelledJobSignal wake) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Contexts whose explicit transaction holds such a job; they wake the assigner on commit.
    private readonly ConditionalWeakTable<DbContext, object> _pendingInTransaction = [];
    private readonly ConditionalWeakTable<DbContext, object> _saving = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var waitsForWorker = context.ChangeTracker.Entries<Job>().Any(e =>
            e.State is EntityState.Added or EntityState.Modified
            && e.Entity is { Status: RunStatus.Queued, AssignedWorkerId: null, RequiredLabels.Count: > 0 });
        if (waitsForWorker)
        {
            _saving.AddOrUpdate(context, this);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out _))
        {
            return;
        }

        _saving.Remove(context);
        if (context.Database.CurrentTransaction is null)
        {
            wake.Notify();
        }
        else
        {
            _pendingInTransaction.AddOrUpdate(context, this);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _pendingInTransaction.Remove(context))
        {
            wake.Notify();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _saving.Remove(context);
            _pendingInTransaction.Remove(context);
        }
    }
}
