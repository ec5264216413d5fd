namespace BuildFarm.Core.Runs;

/// <summary>One member build of a batch run as the schedule sees it.</summary>
public sealed record BatchMember(string Identifier, IReadOnlyList<string> DependOn, bool IgnoreFailure, RunStatus Status);

/// <summary>
/// CodeBuild's batch rules, pure: which waiting member builds may start, which never will, when fast-fail stops the
/// rest, and the batch's status. A build starts once every build it depends on succeeded or failed with
/// <c>ignore-failure</c>; the batch succeeds when every build that is not <c>ignore-failure</c> succeeded.
/// </summary>
public static class BatchSchedule
{
    /// <summary>A dependency that lets its dependents start: it succeeded, or it failed and may.</summary>
    public static bool Satisfies(BatchMember member) =>
        member.Status == RunStatus.Succeeded || (member.Status == RunStatus.Failed && member.IgnoreFailure);

    /// <summary>A failure that fails the batch (and, with fast-fail, stops it).</summary>
    public static bool Fails(BatchMember member) => member.Status == RunStatus.Failed && !member.IgnoreFailure;

    /// <summary>Waiting members whose dependencies all satisfy them: dispatch these now (unless the batch is stopping).</summary>
    public static IReadOnlyList<BatchMember> Ready(IReadOnlyList<BatchMember> members)
    {
        var byId = Index(members);
        return [.. members.Where(m => m.Status == RunStatus.Waiting
            && m.DependOn.All(d => byId.TryGetValue(d, out var dependency) && Satisfies(dependency)))];
    }

    /// <summary>
    /// Waiting members that can never start, each with the dependency that stops it: a dependency that ended without
    /// satisfying it, or one that is itself blocked (so the reason names where the chain broke).
    /// </summary>
    public static IReadOnlyList<(BatchMember Member, string Cause)> Blocked(IReadOnlyList<BatchMember> members)
    {
        var byId = Index(members);
        var causes = new Dictionary<string, string?>(StringComparer.Ordinal);
        var result = new List<(BatchMember, string)>();
        foreach (var member in members.Where(m => m.Status == RunStatus.Waiting))
        {
            if (CauseOf(member, []) is { } cause)
            {
                result.Add((member, cause));
            }
        }
        return result;

        // The first dependency that ended unsatisfied, looking through waiting dependencies; null while all may still come.
        string? CauseOf(BatchMember member, HashSet<string> visiting)
        {
            if (causes.TryGetValue(member.Identifier, out var known))
            {
                return known;
            }
            if (!visiting.Add(member.Identifier))
            {
                return null;
            }
            string? cause = null;
            foreach (var name in member.DependOn)
            {
                if (!byId.TryGetValue(name, out var dependency))
                {
                    cause = $"it depends on '{name}', which is not a build of this batch";
                }
                else if (dependency.Status.IsFinal() && !Satisfies(dependency))
                {
                    cause = $"'{name}' {dependency.Status.ToString().ToLowerInvariant()}";
                }
                else if (dependency.Status == RunStatus.Waiting && CauseOf(dependency, visiting) is { } upstream)
                {
                    cause = upstream;
                }
                if (cause is not null)
                {
                    break;
                }
            }
            causes[member.Identifier] = cause;
            return cause;
        }
    }

    /// <summary>The failure fast-fail stops the batch for: the first member that <see cref="Fails"/>, in the order given.</summary>
    public static BatchMember? FirstFailure(IReadOnlyList<BatchMember> members) => members.FirstOrDefault(Fails);

    /// <summary>
    /// The batch's status. While a member is queued or running, or a waiting one may still start, it is Queued (nothing
    /// started yet) or Running (Cancelling while a cancel is under way). Once none can move: Failed when a build that may
    /// not fail failed (even if others were then stopped), else Cancelled when one was cancelled, else Succeeded.
    /// </summary>
    public static RunStatus Aggregate(IReadOnlyList<BatchMember> members)
    {
        if (members.Count == 0)
        {
            return RunStatus.Queued;
        }
        var started = members.Where(m => m.Status != RunStatus.Waiting).ToList();
        if (started.Count == 0)
        {
            return RunStatus.Queued;
        }
        if (!started.All(m => m.Status.IsFinal()))
        {
            if (started.Any(m => m.Status == RunStatus.Cancelling))
            {
                return RunStatus.Cancelling;
            }
            return started.Any(m => m.Status != RunStatus.Queued) ? RunStatus.Running : RunStatus.Queued;
        }
        var blocked = Blocked(members).Count;
        var waiting = members.Count - started.Count;
        if (waiting > blocked)
        {
            // A waiting build whose dependencies are all satisfied: the batch goes on once it is dispatched.
            return RunStatus.Running;
        }
        if (started.Any(Fails))
        {
            return RunStatus.Failed;
        }
        if (started.Any(m => m.Status is RunStatus.Cancelled or RunStatus.Superseded))
        {
            return RunStatus.Cancelled;
        }
        return RunStatus.Succeeded;
    }

    private static Dictionary<string, BatchMember> Index(IReadOnlyList<BatchMember> members)
    {
        var byId = new Dictionary<string, BatchMember>(members.Count, StringComparer.Ordinal);
        foreach (var member in members)
        {
            byId.TryAdd(member.Identifier, member);
        }
        return byId;
    }
}
