using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>A worker as the assigner sees it: alive, its mode and labels, and how many jobs it holds or has been sent.</summary>
public sealed record CandidateWorker(string Id, bool Alive, WorkerMode Mode, IReadOnlyList<string> Labels, int Load, int FreeSlots, DateTimeOffset LastHeartbeatAt);

/// <summary>The worker a labelled job goes to, or, when none can take it, why (shown on the job while it waits).</summary>
public sealed record WorkerPick(string? WorkerId, string? WaitingReason);

/// <summary>
/// Picks the worker for a job that needs labels: among live, Active workers advertising every label, the
/// one holding the fewest jobs, then the one with the most free slots, then by id so the choice is stable.
/// When none qualifies it says why, naming the labels and what is wrong with the workers that have them.
/// </summary>
public static class LabelledWorkerChoice
{
    /// <summary>How every reason a queued job carries while it waits for a labelled worker starts; a claim clears them.</summary>
    public const string WaitingPrefix = "waiting";

    public static WorkerPick Choose(IReadOnlyList<string> required, IReadOnlyList<CandidateWorker> workers)
    {
        var labelled = workers.Where(w => WorkerLabels.Missing(required, w.Labels).Count == 0).ToList();
        var pick = labelled
            .Where(w => w.Alive && w.Mode == WorkerMode.Active)
            .OrderBy(w => w.Load)
            .ThenByDescending(w => w.FreeSlots)
            .ThenBy(w => w.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        if (pick is not null)
        {
            return new WorkerPick(pick.Id, $"waiting for worker {pick.Id} to claim it");
        }

        if (labelled.Count == 0)
        {
            return new WorkerPick(null, $"waiting: no worker with {WorkerLabels.Describe(required)}");
        }

        var why = labelled
            .OrderBy(w => w.Id, StringComparer.Ordinal)
            .Take(5)
            .Select(w => w.Alive ? $"{w.Id} is {w.Mode.ToString().ToLowerInvariant()}" : $"{w.Id} silent since {w.LastHeartbeatAt:O}");
        return new WorkerPick(null, $"waiting: no live worker with {WorkerLabels.Describe(required)} ({string.Join("; ", why)})");
    }
}
