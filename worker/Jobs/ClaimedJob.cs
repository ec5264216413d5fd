namespace BuildFarm.Worker.Jobs;

/// <summary>An attempt this worker was granted, with everything needed to run it.</summary>
public sealed record ClaimedJob(
    Guid RunId,
    Guid JobId,
    Guid AttemptId,
    int Attempt,
    string Pipeline,
    int PipelineVersion,
    string Definition,
    string FileName,
    IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>Resolved parameter-store / secrets-manager variables; their values are masked in the log.</summary>
    public IReadOnlyDictionary<string, string> SecretVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>Secrets the buildspec names that the farm's store lacks: the job fails, naming them.</summary>
    public IReadOnlyList<string> MissingSecrets { get; init; } = [];

    /// <summary>CodeBuild's build timeout: past it the job's process tree is killed and the job fails; null is no limit.</summary>
    public TimeSpan? BuildTimeout { get; init; }

    /// <summary>This attempt's log chunks are numbered after this sequence (earlier attempts' chunks come first).</summary>
    public long LogSeqStart { get; init; }

    /// <summary>Set when the job is an action of a pipeline file: what it does and which artifacts it moves.</summary>
    public BuildFarm.Worker.Pipelines.PipelineActionJob? Action { get; init; }

    /// <summary>Set when the job is a member build of a batch run.</summary>
    public BatchMemberJob? Batch { get; init; }

    /// <summary>Phase outcomes so far, repeated on JobCompleted.</summary>
    public List<BuildFarm.Contracts.Events.PhaseResult> PhaseResults { get; } = [];

    /// <summary>Artifacts stored so far, reported on JobCompleted so the coordinator can list and serve them.</summary>
    public List<BuildFarm.Contracts.Events.ArtifactResult> StoredArtifacts { get; } = [];
    /// <summary>The buildspec's exported-variables as the build left them (set ones only), sent on JobCompleted.</summary>
    public Dictionary<string, string> ExportedVariables { get; } = new(StringComparer.Ordinal);

    /// <summary>The buildspec's report groups as read after the build, sent on JobCompleted.</summary>
    public List<BuildFarm.Contracts.Events.TestReportSummary> Reports { get; } = [];

    /// <summary>The cache restore's outcome (Hit, FallbackHit, Miss), sent on JobCompleted; null when nothing was restored.</summary>
    public string? CacheOutcome { get; set; }
}
