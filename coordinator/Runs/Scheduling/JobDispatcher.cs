using BuildFarm.Contracts.Commands;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// Hands a queued attempt to the workers, in the caller's transaction. A job any worker may run goes to the
/// shared queue through the outbox. A job that needs labels waits for <see cref="LabelledJobAssigner"/>, which
/// sends it to one matching worker's own queue, or says on the job why no worker can take it; it is woken
/// when such a job commits (<see cref="LabelledJobCommitObserver"/>).
/// </summary>
public sealed class JobDispatcher(OutboxWriter outbox, IOptions<MessagingOptions> messaging)
{
    public void Dispatch(BuildFarmDbContext db, Job job)
    {
        if (job.RequiredLabels is { Count: > 0 } labels)
        {
            job.AssignedWorkerId = null;
            job.Reason = $"waiting for a worker with {WorkerLabels.Describe(labels)}";
            return;
        }

        outbox.Send(db, RunJobFor(job), messaging.Value.RunJobQueue);
    }

    public static RunJob RunJobFor(Job job) =>
        new(job.RunId, job.Id, job.AttemptId, job.Attempt, job.BuildTimeoutSeconds, job.QueuedTimeoutSeconds);
}
