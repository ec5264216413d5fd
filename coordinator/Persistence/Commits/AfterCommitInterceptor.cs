using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BuildFarm.Coordinator.Persistence.Commits;

/// <summary>
/// Runs what the <see cref="ICommitObserver"/>s collected from a SaveChanges once it is committed: right after the save
/// when it ran in its own transaction, at the commit of the caller's explicit transaction otherwise, and never for a
/// save or transaction that failed. So every code path is covered without remembering to, and nothing happens for
/// work that was rolled back or that another connection cannot see yet.
/// </summary>
public sealed class AfterCommitInterceptor(IEnumerable<ICommitObserver> observers) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ICommitObserver[] _observers = [.. observers];

    // Per context instance: a pooled context is used by one request at a time.
    private readonly ConditionalWeakTable<DbContext, List<Action>> _saving = [];
    private readonly ConditionalWeakTable<DbContext, List<Action>> _awaitingCommit = [];

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
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context, _saving);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, _saving);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context, _awaitingCommit);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, _awaitingCommit);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context, _awaitingCommit);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, _awaitingCommit);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var actions = new List<Action>();
        foreach (var observer in _observers)
        {
            observer.Collect(context, actions);
        }

        if (actions.Count > 0)
        {
            _saving.AddOrUpdate(context, actions);
        }
        else
        {
            _saving.Remove(context);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var actions))
        {
            return;
        }

        _saving.Remove(context);
        if (context.Database.CurrentTransaction is null)
        {
            actions.ForEach(a => a());
        }
        else
        {
            _awaitingCommit.GetValue(context, _ => []).AddRange(actions);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _awaitingCommit.TryGetValue(context, out var actions))
        {
            _awaitingCommit.Remove(context);
            actions.ForEach(a => a());
        }
    }

    private static void Forget(DbContext? context, ConditionalWeakTable<DbContext, List<Action>> table)
    {
        if (context is not null)
        {
            table.Remove(context);
        }
    }
}
