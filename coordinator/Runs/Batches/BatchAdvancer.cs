using BuildFarm.Contracts.Commands;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Scheduling;
using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Runs.Batches;

/// <summary>
/// Moves a batch run on after any of its member builds changed, in the caller's transaction (RunCompletion calls it
/// before it derives the run's status, so every path that ends a job — a worker's result, the lease and queued-timeout
/// sweepers, a cancel — moves the batch the same way): members whose dependencies are done are dispatched (RunJob
/// through the outbox, as a pipeline's next group is), members that can never start say why, and with fast-fail the
/// first failure stops the rest (queued and waiting ones at once, running ones through CancelJob).
/// </summary>
public sealed class BatchAdvancer(OutboxWriter outbox, JobDispatcher dispatcher, TimeProvider time)
{
    public static bool IsBatch(Run run) => run.BatchKind is not null;

    /// <summary>The members as <see cref="BatchSchedule"/> sees them, in batch order.</summary>
    public static List<(Job Job, BatchMember Member)> Members(Run run) =>
        [.. run.Jobs
            .Where(j => j.BatchIdentifier is not null)
            .OrderBy(j => j.BatchIndex)
            .Select(j => (j, new BatchMember(j.BatchIdentifier!, j.BatchDependOn ?? [], j.BatchIgnoreFailure, j.Status)))];

    public void Advance(BuildFarmDbContext db, Run run)
    {
        if (!IsBatch(run) || run.Status.IsFinal())
        {
            return;
        }

        // Every decision reads all members, and two members can end at once in two transactions: bumping the run's
        // concurrency token makes the later of them fail and decide again on fresh state, so a build whose last two
        // dependencies finish together is never left waiting by both.
        run.Revision++;
        var now = time.GetUtcNow();
        var members = Members(run);
        var failure = BatchSchedule.FirstFailure([.. members
            .OrderBy(m => m.Job.FinishedAt ?? DateTimeOffset.MaxValue)
            .Select(m => m.Member)]);
        if (failure is not null && run.BatchFastFail)
        {
            StopRest(db, run, members, $"stopped by fast-fail: build '{failure.Identifier}' failed", now);
            return;
        }

        var all = members.Select(m => m.Member).ToList();
        foreach (var ready in BatchSchedule.Ready(all))
        {
            Dispatch(db, run, members.First(m => m.Member == ready).Job, now);
        }
        foreach (var (member, cause) in BatchSchedule.Blocked(all))
        {
            var job = members.First(m => m.Member == member).Job;
            var reason = $"not started: {cause}";
            if (job.Reason != reason)
            {
                job.Reason = reason;
                job.Revision++;
            }
        }
    }

    /// <summary>The batch's status and, once it is final and not a success, its reason.</summary>
    public static (RunStatus Status, string? Reason) Aggregate(Run run)
    {
        var members = Members(run);
        var status = BatchSchedule.Aggregate([.. members.Select(m => m.Member)]);
        if (status != RunStatus.Failed)
        {
            return (status, null);
        }
        var failed = members
            .Where(m => BatchSchedule.Fails(m.Member))
            .OrderBy(m => m.Job.FinishedAt ?? DateTimeOffset.MaxValue)
            .Select(m => m.Job)
            .First();
        return (status, $"build '{failed.BatchIdentifier}' failed{(failed.Reason is null ? "" : $": {failed.Reason}")}");
    }

    private void Dispatch(BuildFarmDbContext db, Run run, Job job, DateTimeOffset now)
    {
        job.Status = RunStatus.Queued;
        job.Reason = null;
        job.QueuedDeadline = job.QueuedTimeoutSeconds is { } queued ? now.AddSeconds(queued) : null;
        job.Revision++;
        dispatcher.Dispatch(db, job);
    }

    /// <summary>fast-fail: what has not started never will; what runs gets TERM, grace, KILL (CancelJob, as a user's cancel).</summary>
    private void StopRest(BuildFarmDbContext db, Run run, List<(Job Job, BatchMember Member)> members, string reason, DateTimeOffset now)
    {
        foreach (var (job, _) in members)
        {
            switch (job.Status)
            {
                case RunStatus.Waiting or RunStatus.Queued:
                    job.Status = RunStatus.Cancelled;
                    job.Reason = reason;
                    job.FinishedAt = now;
                    job.QueuedDeadline = null;
                    job.Revision++;
                    break;
                case RunStatus.Running:
                    job.Status = RunStatus.Cancelling;
                    job.Reason = reason;
                    job.Revision++;
                    outbox.Publish(db, new CancelJob(run.Id, job.Id, job.AttemptId));
                    break;
            }
        }
    }
}
