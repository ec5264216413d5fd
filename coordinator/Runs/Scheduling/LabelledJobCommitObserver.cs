using BuildFarm.Coordinator.Persistence.Commits;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// Wakes <see cref="LabelledJobAssigner"/> once a job that waits for a labelled worker is committed, not when it is
/// merely written: a pass woken before the commit would not see the job and leave it to the poll.
/// </summary>
public sealed class LabelledJobCommitObserver(LabelledJobSignal wake) : ICommitObserver
{
    public void Collect(DbContext context, List<Action> afterCommit)
    {
        var waitsForWorker = context.ChangeTracker.Entries<Job>().Any(e =>
            e.State is EntityState.Added or EntityState.Modified
            && e.Entity is { Status: RunStatus.Queued, AssignedWorkerId: null, RequiredLabels.Count: > 0 });
        if (waitsForWorker)
        {
            afterCommit.Add(wake.Notify);
        }
    }
}
