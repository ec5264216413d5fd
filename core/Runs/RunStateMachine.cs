namespace BuildFarm.Core.Runs;

/// <summary>
/// The one place that decides which status follows which. Pure: callers load the current status,
/// ask for the next one, and store it in the same transaction as the messages it causes.
/// </summary>
public static class RunStateMachine
{
    /// <summary>
    /// The status after <paramref name="event"/>, or null when the event does not apply. A final
    /// status never changes, so a redelivered or late event is a no-op rather than an error.
    /// </summary>
    public static RunStatus? Next(RunStatus current, RunEvent @event) => (current, @event) switch
    {
        (_, _) when current.IsFinal() => null,
        (RunStatus.Queued, RunEvent.Started) => RunStatus.Running,
        // A waiting action only leaves Waiting when the pipeline engine dispatches it, or when the run is cancelled.
        (RunStatus.Waiting, RunEvent.CancelRequested) => RunStatus.Cancelled,
        (RunStatus.Waiting, _) => null,
        (RunStatus.Running or RunStatus.Cancelling, RunEvent.Started) => null,
        (RunStatus.Queued, RunEvent.CancelRequested) => RunStatus.Cancelled,
        (RunStatus.Running, RunEvent.CancelRequested) => RunStatus.Cancelling,
        (RunStatus.Cancelling, RunEvent.CancelRequested) => null,
        (RunStatus.Queued or RunStatus.Running, RunEvent.Succeeded) => RunStatus.Succeeded,
        (RunStatus.Queued or RunStatus.Running, RunEvent.Failed) => RunStatus.Failed,
        // A job that finished on its own while its cancel was in flight keeps the cancel:
        // the user asked for it, and the outcome they see must not depend on a race.
        (RunStatus.Cancelling, RunEvent.Succeeded or RunEvent.Failed or RunEvent.Cancelled) => RunStatus.Cancelled,
        (RunStatus.Queued or RunStatus.Running, RunEvent.Cancelled) => RunStatus.Cancelled,
        _ => null,
    };

    /// <summary>
    /// A run's status from its jobs' statuses: any failure fails it once every job is final. Waiting jobs (actions
    /// of later stages) keep a run Running while it moves on, and are left behind once an action failed.
    /// </summary>
    public static RunStatus Aggregate(IReadOnlyCollection<RunStatus> jobs)
    {
        if (jobs.Count == 0)
        {
            return RunStatus.Queued;
        }

        var started = jobs.Where(j => j != RunStatus.Waiting).ToList();
        if (started.Count == 0)
        {
            return RunStatus.Queued;
        }

        if (!started.All(RunStatusExtensions.IsFinal))
        {
            if (started.Contains(RunStatus.Cancelling))
            {
                return RunStatus.Cancelling;
            }

            return started.Any(j => j != RunStatus.Queued) ? RunStatus.Running : RunStatus.Queued;
        }

        if (started.Contains(RunStatus.Cancelled))
        {
            return RunStatus.Cancelled;
        }

        if (started.Contains(RunStatus.Superseded))
        {
            return RunStatus.Superseded;
        }

        if (started.Contains(RunStatus.Failed))
        {
            return RunStatus.Failed;
        }

        // Every started action succeeded: the run goes on while later actions wait for their turn.
        return started.Count < jobs.Count ? RunStatus.Running : RunStatus.Succeeded;
    }
}
