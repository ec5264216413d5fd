using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// A pipeline's execution mode (CodePipeline's SUPERSEDED, QUEUED, PARALLEL). In SUPERSEDED and QUEUED each stage holds
/// one execution at a time: <see cref="PipelineAdvancer.DispatchReady"/> leaves an execution that would enter a stage
/// waiting in front of it, and this gate lets it in once no other execution of the pipeline is inside that stage.
/// QUEUED lets the oldest waiting execution in, and none is ever dropped. SUPERSEDED lets the newest in, and an older
/// execution waiting in front of the same stage as a newer one is ended as Superseded at once (its waiting actions
/// Superseded, naming the execution that replaced it, a SUPERSEDED stage event and RunCompleted): never silently
/// dropped, and never while one of its actions runs. PARALLEL executions never wait here.
/// <para>
/// A pass reads every unfinished execution of the pipeline and decides on that snapshot. Two passes on the same
/// snapshot decide the same; passes on different snapshots touch a common execution (the one let in, or the one
/// replaced), so the later commit fails on its revision and decides again.
/// </para>
/// </summary>
public sealed class ExecutionGate(
    BuildFarmDbContext db, PipelineAdvancer advancer, RunCompletion completion, OutboxWriter outbox, OutboxSignal signal,
    ExecutionGateLocks locks, TimeProvider time)
{
    private const int MaxTries = 5;

    /// <summary>Whether runs of <paramref name="definition"/> enter their stages only through the gate.</summary>
    public static bool Holds(PipelineDefinition? definition) =>
        definition is { ExecutionMode: PipelineExecutionMode.Superseded or PipelineExecutionMode.Queued };

    /// <summary>One pass over the pipeline's unfinished executions; returns how many it let in or superseded.</summary>
    public async Task<int> AdmitAsync(Guid pipelineId, CancellationToken cancellationToken)
    {
        using var held = await locks.EnterAsync(pipelineId, cancellationToken);
        // Decides on what is committed, not on what the caller's context still tracks.
        db.ChangeTracker.Clear();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var changed = await PassAsync(pipelineId, cancellationToken);
                db.ChangeTracker.Clear();
                return changed;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxTries)
            {
                // Another pass, a worker's result or a cancel changed one of these executions: decide again.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// The unfinished execution of the pipeline, other than <paramref name="except"/>, that is inside stage
    /// <paramref name="stage"/>, if any (a stage retry refuses to enter an occupied stage).
    /// </summary>
    public async Task<Guid?> OccupantAsync(Guid pipelineId, string stage, Guid except, CancellationToken cancellationToken)
    {
        var runs = await UnfinishedAsync(pipelineId, tracked: false, cancellationToken);
        return runs.Where(r => r.Id != except).Select(Position).FirstOrDefault(p => p is { Entered: true } && p.Value.Stage == stage)?.Run.Id;
    }

    private async Task<int> PassAsync(Guid pipelineId, CancellationToken cancellationToken)
    {
        // The pipeline's row is the gate's lock across coordinators: a no-op update holds it (PostgreSQL row lock,
        // SQLite's write lock) until this pass commits, so the next pass reads what this one decided.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Pipelines.Where(p => p.Id == pipelineId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LatestVersion, p => p.LatestVersion), cancellationToken);
        var runs = await UnfinishedAsync(pipelineId, tracked: true, cancellationToken);
        if (runs.Count == 0)
        {
            return 0;
        }
        var definitions = new Dictionary<Guid, PipelineDefinition?>();
        foreach (var versionId in runs.Select(r => r.PipelineVersionId).Distinct())
        {
            var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == versionId, cancellationToken);
            definitions[versionId] = PipelineRunPlanner.Read(version);
        }

        var positions = runs.Where(r => Holds(definitions[r.PipelineVersionId])).Select(Position).OfType<(Run Run, string Stage, bool Entered)>().ToList();
        var occupied = positions.Where(p => p.Entered).Select(p => p.Stage).ToHashSet(StringComparer.Ordinal);
        var changed = 0;
        var now = time.GetUtcNow();
        foreach (var waiting in positions.Where(p => !p.Entered).GroupBy(p => p.Stage, StringComparer.Ordinal))
        {
            // Oldest first: CreatedAt, then the id, so every pass orders alike.
            var queue = waiting.Select(p => p.Run).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
            var newest = queue[^1];
            var superseding = definitions[newest.PipelineVersionId]!.ExecutionMode == PipelineExecutionMode.Superseded;
            if (superseding)
            {
                foreach (var older in queue.Take(queue.Count - 1))
                {
                    Supersede(older, waiting.Key, newest, now);
                    changed++;
                }
            }
            if (occupied.Contains(waiting.Key))
            {
                continue;
            }
            var next = superseding ? newest : queue[0];
            if (advancer.DispatchReady(db, next, definitions[next.PipelineVersionId], admitted: true) > 0)
            {
                completion.UpdateRun(db, next, null);
                changed++;
            }
        }
        if (changed > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (changed > 0)
        {
            signal.Notify();
        }
        return changed;
    }

    private void Supersede(Run run, string stage, Run by, DateTimeOffset now)
    {
        var reason = $"superseded by execution {by.Id} while waiting to enter stage '{stage}'";
        foreach (var job in run.Jobs.Where(j => j.Status == RunStatus.Waiting))
        {
            job.Status = RunStatus.Superseded;
            job.Reason = reason;
            job.FinishedAt = now;
            job.Revision++;
        }
        run.Revision++;
        outbox.Publish(db, new StageStateChanged(run.Id, run.PipelineName, run.PipelineVersion, stage,
            PipelineStates.Superseded, reason, run.CorrelationId, now));
        completion.UpdateRun(db, run, reason);
    }

    private Task<List<Run>> UnfinishedAsync(Guid pipelineId, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Runs.Include(r => r.Jobs)
            .Where(r => r.PipelineId == pipelineId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running || r.Status == RunStatus.Cancelling));
        return (tracked ? query : query.AsNoTracking()).AsSplitQuery().ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Where an unfinished pipeline-file execution stands: the first stage it has not finished, and whether it is
    /// inside it (an action of that stage has started: it holds the stage) or waiting in front of it. Null for a
    /// buildspec run, or one with nothing left to enter.
    /// </summary>
    private static (Run Run, string Stage, bool Entered)? Position(Run run)
    {
        var actions = run.Jobs.Where(j => j.StageName is not null).ToList();
        var pending = actions.Where(j => j.Status != RunStatus.Succeeded).ToList();
        if (pending.Count == 0)
        {
            return null;
        }
        var stageIndex = pending.Min(j => j.StageIndex);
        var stage = actions.Where(j => j.StageIndex == stageIndex).ToList();
        return (run, stage[0].StageName!, stage.Any(j => j.Status != RunStatus.Waiting));
    }
}

/// <summary>One pass at a time per pipeline in this process (other coordinators are kept apart by the runs' revisions).</summary>
public sealed class ExecutionGateLocks
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public async Task<IDisposable> EnterAsync(Guid pipelineId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(pipelineId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
