using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Persistence.Entities;

public sealed class Job
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    /// <summary>"build" for a buildspec pipeline's one job; the action's name for an action of a pipeline file; the identifier of a batch member.</summary>
    public required string Name { get; set; }
    /// <summary>The stage holding this action; null for a buildspec pipeline's job.</summary>
    public string? StageName { get; set; }
    /// <summary>The stage's position (0-based) in the pipeline file; stages run in this order.</summary>
    public int StageIndex { get; set; }
    /// <summary>Actions of a stage with the same run order run side by side; lower first.</summary>
    public int RunOrder { get; set; } = 1;
    /// <summary>The action's category (source, build, test, deploy, approval, invoke); null for a buildspec pipeline's job.</summary>
    public string? Category { get; set; }
    public RunStatus Status { get; set; }
    /// <summary>The attempt a worker must claim; a new attempt gets a new id, so stale messages are ignored.</summary>
    public Guid AttemptId { get; set; }
    public int Attempt { get; set; }
    public string? WorkerId { get; set; }

    /// <summary>Worker labels this job needs (from its pipeline version); null: any worker, from the shared queue.</summary>
    public List<string>? RequiredLabels { get; set; }

    /// <summary>The worker a job with labels was sent to (on its own queue); only that worker may claim the attempt.</summary>
    public string? AssignedWorkerId { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public int? ExitCode { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int Revision { get; set; }

    /// <summary>The build timeout the worker enforces, sent on every RunJob of this job.</summary>
    public int? BuildTimeoutSeconds { get; set; }

    /// <summary>How long an attempt may wait for a worker to claim it.</summary>
    public int? QueuedTimeoutSeconds { get; set; }

    /// <summary>While Queued: when the queued-timeout sweeper fails the job if no worker has claimed it.</summary>
    public DateTimeOffset? QueuedDeadline { get; set; }

    /// <summary>The buildspec's exported-variables as the build left them; null when it exports none.</summary>
    public Dictionary<string, string>? ExportedVariables { get; set; }

    /// <summary>A batch member's identifier (as written, or generated for a build-matrix combination); null outside a batch.</summary>
    public string? BatchIdentifier { get; set; }

    /// <summary>The member's position (0-based) in the batch as written or expanded; jobs and logs are listed in this order.</summary>
    public int BatchIndex { get; set; }

    /// <summary>The identifiers this batch member waits for (build-graph <c>depend-on</c>); null when none.</summary>
    public List<string>? BatchDependOn { get; set; }

    /// <summary>The batch may succeed although this member failed; its dependents still start.</summary>
    public bool BatchIgnoreFailure { get; set; }

    /// <summary>The member's <c>env.variables</c>: they replace the buildspec's of the same name (and the trigger's).</summary>
    public Dictionary<string, string>? BatchVariables { get; set; }

    /// <summary>The member's own buildspec: its path in the source, or "inline"; null runs the batch's buildspec.</summary>
    public string? BatchBuildSpec { get; set; }

    public List<Phase> Phases { get; set; } = [];

    /// <summary>Test reports of every attempt; the current attempt's are the job's.</summary>
    public List<TestReport> Reports { get; set; } = [];
}
